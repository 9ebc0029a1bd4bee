//! German (Deutsch).

use super::Text;
use crate::AuthError;

pub(super) fn text(text: Text) -> &'static str {
    match text {
        Text::SignIn => "Anmelden",
        Text::Email => "E-Mail",
        Text::Password => "Passwort",
        Text::Name => "Name",
        Text::SignInWith => "Mit {provider} anmelden",
        Text::SendLinkTo => "Anmeldelink senden an",
        Text::EmailMeALink => "Anmeldelink per E-Mail erhalten",
        Text::NoAccountYet => "Noch kein Konto?",
        Text::CreateOne => "Jetzt registrieren",
        Text::CreateAccount => "Konto erstellen",
        Text::SignUp => "Registrieren",
        Text::HaveAnAccount => "Sie haben bereits ein Konto?",
        Text::SignOut => "Abmelden",
        Text::SignOutQuestion => "Möchten Sie sich wirklich abmelden?",
        Text::ErrorTitle => "Fehler",
        Text::UnableToSignIn => "Anmeldung nicht möglich",
        Text::Home => "Startseite",
        Text::SignInAs => "Als {email} anmelden?",
        Text::VerifyEmailTitle => "Bestätigen Sie Ihre E-Mail-Adresse",
        Text::ConfirmAddress => "Bestätigen Sie, dass {address} Ihnen gehört.",
        Text::VerifyMyEmail => "E-Mail-Adresse bestätigen",
        Text::AccountCreatedWith => {
            "Für {address} wurde ein Konto erstellt. Wenn Sie es erstellt haben, geben Sie das Passwort ein, um die Adresse zu bestätigen und sich anzumelden."
        }
        Text::NotMineExplained => {
            "Sie haben dieses Konto nicht erstellt? Dann können Sie es übernehmen: Alle seine Sitzungen werden beendet, sein Passwort und die verknüpften Anmeldemethoden werden entfernt, und Sie werden hier angemeldet."
        }
        Text::NotMe => "Das war ich nicht",
        Text::YourEmailAddress => "Ihre E-Mail-Adresse",
        Text::ChooseNewPassword => "Neues Passwort wählen",
        Text::NewPassword => "Neues Passwort",
        Text::SetPasswordAndSignIn => "Passwort festlegen und anmelden",
        Text::NewPasswordLength => {
            "Das neue Passwort muss zwischen {min} und {max} Zeichen lang sein."
        }
        Text::CheckEmail => "Prüfen Sie Ihre E-Mails",
        Text::SignInLinkSent => "Ein Anmeldelink wurde an Ihre E-Mail-Adresse gesendet.",
        Text::ConfirmLinkSent => {
            "Wir haben einen Link an Ihre E-Mail-Adresse gesendet. Öffnen Sie ihn, um die Adresse zu bestätigen, und melden Sie sich dann an."
        }
        Text::TwoFactorTitle => "Zwei-Faktor-Anmeldung",
        Text::TwoFactorGone => {
            "Ihre Anmeldung ist abgelaufen oder wurde bereits abgeschlossen. Bitte melden Sie sich erneut an."
        }
        Text::TwoFactorPrompt => {
            "Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App oder einen Ihrer Backup-Codes ein."
        }
        Text::Code => "Code",
        Text::TrustDevice => "Diesem Gerät {days} Tage lang vertrauen",
        Text::Verify => "Bestätigen",
        Text::Cancel => "Abbrechen",
        Text::InvalidTwoFactorCode => "Der Code ist nicht korrekt.",
        Text::TwoFactorExpired => "Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.",
        Text::WrongPassword => "Das Passwort ist nicht korrekt.",
        Text::BackupCodesTitle => "Ihre Backup-Codes",
        Text::BackupCodesText => {
            "Mit jedem Code können Sie sich einmal anmelden, falls Sie Ihre Authenticator-App verlieren. Bewahren Sie sie an einem sicheren Ort auf: Die Codes werden nicht erneut angezeigt."
        }
        Text::Copy => "Kopieren",
        Text::DownloadAsText => "Als Textdatei herunterladen",
        Text::Continue => "Weiter",
        Text::Error(error) => match error {
            AuthError::Configuration => "Es gibt ein Problem mit der Serverkonfiguration.",
            AuthError::AccessDenied => "Sie haben keine Berechtigung, sich anzumelden.",
            AuthError::Verification => {
                "Dieser Link ist nicht mehr gültig. Möglicherweise wurde er bereits verwendet oder ist abgelaufen."
            }
            AuthError::OAuthSignin | AuthError::OAuthCallback => {
                "Die Anmeldung über diesen Anbieter ist fehlgeschlagen. Bitte versuchen Sie es erneut."
            }
            AuthError::OAuthAccountNotLinked => {
                "Diese E-Mail-Adresse wird bereits von einem anderen Konto verwendet. Melden Sie sich so an wie bisher."
            }
            AuthError::EmailSignin => "Die Anmelde-E-Mail konnte nicht gesendet werden.",
            AuthError::CredentialsSignin => "E-Mail-Adresse oder Passwort ist ungültig.",
            AuthError::SessionRequired => "Bitte melden Sie sich an, um diese Seite anzuzeigen.",
            AuthError::MissingCSRF => "Ihr Formular ist abgelaufen. Bitte versuchen Sie es erneut.",
            AuthError::RateLimited => {
                "Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es dann erneut."
            }
            AuthError::AccountLocked => {
                "Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es später erneut."
            }
            AuthError::EmailNotVerified => {
                "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse: Öffnen Sie den Link, den wir Ihnen gesendet haben."
            }
            AuthError::TwoFactorRequired => "Geben Sie den Code aus Ihrer Authenticator-App ein.",
            AuthError::SessionNotFresh => "Bitte bestätigen Sie Ihre Identität, um fortzufahren.",
            AuthError::InvalidEmail => "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
            AuthError::WeakPassword => "Das Passwort muss zwischen 8 und 256 Zeichen lang sein.",
            AuthError::InvalidName => "Der Name darf höchstens 100 Zeichen lang sein.",
            AuthError::EmailTaken => "Es gibt bereits ein Konto mit dieser E-Mail-Adresse.",
            AuthError::SignUpDisabled => "Eine Registrierung ist hier nicht möglich.",
            AuthError::Default => "Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.",
        },
        Text::TooManyFailedSignIns => "Zu viele fehlgeschlagene Anmeldeversuche.",
        Text::TooManyAttempts => "Zu viele Versuche.",
        Text::TryAgainInAMinute => "Versuchen Sie es in 1 Minute erneut.",
        Text::TryAgainInMinutes => "Versuchen Sie es in {minutes} Minuten erneut.",
        Text::MailSignInSubject => "Bei {site} anmelden",
        Text::MailSignInBody => {
            "Klicken Sie auf die Schaltfläche, um sich anzumelden. Der Link ist 24 Stunden lang gültig und kann nur einmal verwendet werden."
        }
        Text::MailSignInIgnore => {
            "Falls Sie nicht versucht haben, sich anzumelden, können Sie diese E-Mail ignorieren."
        }
        Text::MailResetSubject => "Passwort für {site} zurücksetzen",
        Text::MailResetBody => {
            "Klicken Sie auf die Schaltfläche, um ein neues Passwort zu wählen. Der Link ist eine Stunde lang gültig und kann nur einmal verwendet werden."
        }
        Text::MailResetButton => "Neues Passwort wählen",
        Text::MailResetIgnore => {
            "Falls Sie dies nicht angefordert haben, können Sie diese E-Mail ignorieren: Ihr Passwort bleibt unverändert."
        }
        Text::MailVerifySubject => "E-Mail-Adresse für {site} bestätigen",
        Text::MailVerifyBody => {
            "Klicken Sie auf die Schaltfläche, um zu bestätigen, dass diese Adresse Ihnen gehört. Der Link ist 24 Stunden lang gültig und kann nur einmal verwendet werden."
        }
        Text::MailVerifyIgnore => {
            "Falls Sie kein Konto erstellt haben, hat jemand anderes Ihre Adresse verwendet: Öffnen Sie den Link und wählen Sie „Das war ich nicht“, um das Konto zu übernehmen, oder ignorieren Sie diese E-Mail."
        }
        Text::MailExistsSubject => {
            "Jemand hat versucht, sich mit Ihrer Adresse bei {site} zu registrieren"
        }
        Text::MailExistsBody => {
            "Mit dieser Adresse sollte gerade ein Konto erstellt werden, aber Sie haben bereits eines, daher wurde nichts erstellt. Falls Sie das waren, melden Sie sich stattdessen an; die Anmeldeseite hilft Ihnen auch weiter, wenn Sie Ihr Passwort vergessen haben."
        }
        Text::MailExistsIgnore => {
            "Falls Sie das nicht waren, können Sie diese E-Mail ignorieren: Es wurde nichts geändert."
        }
        Text::MailCopyLink => "Oder kopieren Sie diesen Link in Ihren Browser:",
        Text::PasskeySignIn => "Mit Passkey anmelden",
        Text::PasskeySignUp => "Stattdessen mit Passkey registrieren",
        Text::Passkeys => "Passkeys",
        Text::PasskeyNameExample => "MacBook, Pixel…",
        Text::AddPasskey => "Passkey hinzufügen",
        Text::ConfirmFirst => "Bestätigen Sie zuerst, dass Sie es sind:",
        Text::YourPassword => "Ihr Passwort",
        Text::ConfirmWithPassword => "Mit Passwort bestätigen",
        Text::ConfirmWithPasskey => "Mit Passkey bestätigen",
        Text::RemovePassword => "Mein Passwort entfernen",
        Text::TryAgain => "Bitte versuchen Sie es erneut.",
        Text::PasskeyExists => "Dieses Gerät hat bereits einen Passkey für dieses Konto.",
        Text::PasskeyPromptClosed => "Der Passkey-Dialog wurde geschlossen.",
        Text::PasskeyFailed => "Der Passkey konnte nicht verwendet werden.",
        Text::FollowPrompt => "Folgen Sie den Anweisungen Ihres Browsers…",
        Text::PasskeyAdded => "Passkey hinzugefügt.",
        Text::NewPasskeyName => "Neuer Name für diesen Passkey",
        Text::PasswordRemoved => {
            "Ihr Passwort wurde entfernt: Melden Sie sich mit einem Passkey an."
        }
        Text::AddedOn => "hinzugefügt am {date}",
        Text::LastUsedOn => "zuletzt verwendet am {date}",
        Text::NeverUsed => "nie verwendet",
        Text::Synced => "synchronisiert",
        Text::Rename => "Umbenennen",
        Text::Delete => "Löschen",
    }
}
