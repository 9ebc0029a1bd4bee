//! English, the language of last resort: every other table falls back to this one.

use super::Text;

pub(super) fn text(text: Text) -> &'static str {
    match text {
        Text::SignIn => "Sign in",
        Text::Email => "Email",
        Text::Password => "Password",
        Text::Name => "Name",
        Text::SignInWith => "Sign in with {provider}",
        Text::SendLinkTo => "Send a sign-in link to",
        Text::EmailMeALink => "Email me a sign-in link",
        Text::NoAccountYet => "No account yet?",
        Text::CreateOne => "Create one",
        Text::CreateAccount => "Create an account",
        Text::SignUp => "Sign up",
        Text::HaveAnAccount => "Already have an account?",
        Text::SignOut => "Sign out",
        Text::SignOutQuestion => "Are you sure you want to sign out?",
        Text::ErrorTitle => "Error",
        Text::UnableToSignIn => "Unable to sign in",
        Text::Home => "Home",
        Text::SignInAs => "Sign in as {email}?",
        Text::VerifyEmailTitle => "Verify your email",
        Text::ConfirmAddress => "Confirm that {address} is yours.",
        Text::VerifyMyEmail => "Verify my email",
        Text::AccountCreatedWith => {
            "An account was created with {address}. If you created it, enter its password to confirm the address and sign in."
        }
        Text::NotMineExplained => {
            "Did not create this account? Then it is yours to take back: every session of it ends, its password and linked sign-in methods are removed, and you are signed in here."
        }
        Text::NotMe => "This was not me",
        Text::YourEmailAddress => "your email address",
        Text::ChooseNewPassword => "Choose a new password",
        Text::NewPassword => "New password",
        Text::SetPasswordAndSignIn => "Set password and sign in",
        Text::NewPasswordLength => {
            "The new password must be between {min} and {max} characters long."
        }
        Text::CheckEmail => "Check your email",
        Text::SignInLinkSent => "A sign-in link has been sent to your email address.",
        Text::ConfirmLinkSent => {
            "We sent a link to your email address. Open it to confirm the address, then sign in."
        }
        Text::TwoFactorTitle => "Two-factor sign-in",
        Text::TwoFactorGone => "Your sign-in expired or was completed. Please sign in again.",
        Text::TwoFactorPrompt => {
            "Enter the 6-digit code from your authenticator app, or one of your backup codes."
        }
        Text::Code => "Code",
        Text::TrustDevice => "Trust this device for {days} days",
        Text::Verify => "Verify",
        Text::Cancel => "Cancel",
        Text::InvalidTwoFactorCode => "The code is not correct.",
        Text::TwoFactorExpired => "Your sign-in expired. Please sign in again.",
        Text::WrongPassword => "The password is not correct.",
        Text::BackupCodesTitle => "Your backup codes",
        Text::BackupCodesText => {
            "Each code signs you in once if you lose your authenticator app. Keep them somewhere safe: they are not shown again."
        }
        Text::Copy => "Copy",
        Text::DownloadAsText => "Download as text",
        Text::Continue => "Continue",
        Text::Error(error) => error.user_message(),
        Text::TooManyFailedSignIns => "Too many failed sign-in attempts.",
        Text::TooManyAttempts => "Too many attempts.",
        Text::TryAgainInAMinute => "Try again in 1 minute.",
        Text::TryAgainInMinutes => "Try again in {minutes} minutes.",
        Text::MailSignInSubject => "Sign in to {site}",
        Text::MailSignInBody => "Click the button to sign in. The link works once, for 24 hours.",
        Text::MailSignInIgnore => "If you did not try to sign in, you can ignore this mail.",
        Text::MailResetSubject => "Reset your password on {site}",
        Text::MailResetBody => {
            "Click the button to choose a new password. The link works once, for one hour."
        }
        Text::MailResetButton => "Choose a new password",
        Text::MailResetIgnore => {
            "If you did not ask for this, you can ignore this mail: your password stays as it is."
        }
        Text::MailVerifySubject => "Verify your email address on {site}",
        Text::MailVerifyBody => {
            "Click the button to confirm that this address is yours. The link works once, for 24 hours."
        }
        Text::MailVerifyIgnore => {
            "If you did not create an account, somebody else used your address: open the link and choose \"This was not me\" to take the account over, or ignore this mail."
        }
        Text::MailExistsSubject => "Somebody tried to sign up on {site} with your address",
        Text::MailExistsBody => {
            "An account was about to be created with this address, but you have one already, so nothing was created. If it was you, sign in instead; the sign-in page also helps if you forgot your password."
        }
        Text::MailExistsIgnore => "If it was not you, you can ignore this mail: nothing changed.",
        Text::MailCopyLink => "Or copy this link into your browser:",
        Text::PasskeySignIn => "Sign in with a passkey",
        Text::PasskeySignUp => "Sign up with a passkey instead",
        Text::Passkeys => "Passkeys",
        Text::PasskeyNameExample => "MacBook, Pixel…",
        Text::AddPasskey => "Add a passkey",
        Text::ConfirmFirst => "Confirm it is you first:",
        Text::YourPassword => "Your password",
        Text::ConfirmWithPassword => "Confirm with password",
        Text::ConfirmWithPasskey => "Confirm with a passkey",
        Text::RemovePassword => "Remove my password",
        Text::TryAgain => "Please try again.",
        Text::PasskeyExists => "This device already has a passkey for this account.",
        Text::PasskeyPromptClosed => "The passkey prompt was closed.",
        Text::PasskeyFailed => "The passkey could not be used.",
        Text::FollowPrompt => "Follow your browser's prompt…",
        Text::PasskeyAdded => "Passkey added.",
        Text::NewPasskeyName => "New name for this passkey",
        Text::PasswordRemoved => "Your password was removed: sign in with a passkey.",
        Text::AddedOn => "added {date}",
        Text::LastUsedOn => "last used {date}",
        Text::NeverUsed => "never used",
        Text::Synced => "synced",
        Text::Rename => "Rename",
        Text::Delete => "Delete",
    }
}
