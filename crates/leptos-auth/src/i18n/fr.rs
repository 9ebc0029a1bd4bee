//! French (Français).

use super::Text;
use crate::AuthError;

pub(super) fn text(text: Text) -> &'static str {
    match text {
        Text::SignIn => "Se connecter",
        Text::Email => "E-mail",
        Text::Password => "Mot de passe",
        Text::Name => "Nom",
        Text::SignInWith => "Se connecter avec {provider}",
        Text::SendLinkTo => "Envoyer un lien de connexion à",
        Text::EmailMeALink => "Recevoir un lien de connexion par e-mail",
        Text::NoAccountYet => "Pas encore de compte\u{a0}?",
        Text::CreateOne => "Créez-en un",
        Text::CreateAccount => "Créer un compte",
        Text::SignUp => "S'inscrire",
        Text::HaveAnAccount => "Vous avez déjà un compte\u{a0}?",
        Text::SignOut => "Se déconnecter",
        Text::SignOutQuestion => "Voulez-vous vraiment vous déconnecter\u{a0}?",
        Text::ErrorTitle => "Erreur",
        Text::UnableToSignIn => "Connexion impossible",
        Text::Home => "Accueil",
        Text::SignInAs => "Se connecter en tant que {email}\u{a0}?",
        Text::VerifyEmailTitle => "Vérifiez votre adresse e-mail",
        Text::ConfirmAddress => "Confirmez que {address} vous appartient.",
        Text::VerifyMyEmail => "Vérifier mon adresse e-mail",
        Text::AccountCreatedWith => {
            "Un compte a été créé avec {address}. Si c'est vous qui l'avez créé, saisissez son mot de passe pour confirmer l'adresse et vous connecter."
        }
        Text::NotMineExplained => {
            "Vous n'avez pas créé ce compte\u{a0}? Vous pouvez alors le récupérer\u{a0}: toutes ses sessions seront fermées, son mot de passe et les méthodes de connexion associées seront supprimés, et vous serez connecté ici."
        }
        Text::NotMe => "Ce n'était pas moi",
        Text::YourEmailAddress => "votre adresse e-mail",
        Text::ChooseNewPassword => "Choisir un nouveau mot de passe",
        Text::NewPassword => "Nouveau mot de passe",
        Text::SetPasswordAndSignIn => "Définir le mot de passe et se connecter",
        Text::NewPasswordLength => {
            "Le nouveau mot de passe doit contenir entre {min} et {max} caractères."
        }
        Text::CheckEmail => "Consultez vos e-mails",
        Text::SignInLinkSent => "Un lien de connexion a été envoyé à votre adresse e-mail.",
        Text::ConfirmLinkSent => {
            "Nous avons envoyé un lien à votre adresse e-mail. Ouvrez-le pour confirmer l'adresse, puis connectez-vous."
        }
        Text::TwoFactorTitle => "Connexion à deux facteurs",
        Text::TwoFactorGone => {
            "Votre connexion a expiré ou a déjà été finalisée. Veuillez vous reconnecter."
        }
        Text::TwoFactorPrompt => {
            "Saisissez le code à 6 chiffres de votre application d'authentification, ou l'un de vos codes de secours."
        }
        Text::Code => "Code",
        Text::TrustDevice => "Faire confiance à cet appareil pendant {days} jours",
        Text::Verify => "Vérifier",
        Text::Cancel => "Annuler",
        Text::InvalidTwoFactorCode => "Le code est incorrect.",
        Text::TwoFactorExpired => "Votre connexion a expiré. Veuillez vous reconnecter.",
        Text::WrongPassword => "Le mot de passe est incorrect.",
        Text::BackupCodesTitle => "Vos codes de secours",
        Text::BackupCodesText => {
            "Chaque code vous permet de vous connecter une fois si vous perdez votre application d'authentification. Conservez-les en lieu sûr\u{a0}: ils ne seront plus affichés."
        }
        Text::Copy => "Copier",
        Text::DownloadAsText => "Télécharger en fichier texte",
        Text::Continue => "Continuer",
        Text::Error(error) => match error {
            AuthError::Configuration => "Il y a un problème de configuration du serveur.",
            AuthError::AccessDenied => "Vous n'avez pas l'autorisation de vous connecter.",
            AuthError::Verification => {
                "Ce lien n'est plus valide. Il a peut-être déjà été utilisé ou a expiré."
            }
            AuthError::OAuthSignin | AuthError::OAuthCallback => {
                "La connexion avec ce fournisseur a échoué. Veuillez réessayer."
            }
            AuthError::OAuthAccountNotLinked => {
                "Cette adresse e-mail est déjà utilisée par un autre compte. Connectez-vous avec la méthode utilisée précédemment."
            }
            AuthError::EmailSignin => "L'e-mail de connexion n'a pas pu être envoyé.",
            AuthError::CredentialsSignin => "Adresse e-mail ou mot de passe incorrect.",
            AuthError::SessionRequired => "Veuillez vous connecter pour afficher cette page.",
            AuthError::MissingCSRF => "Votre formulaire a expiré. Veuillez réessayer.",
            AuthError::RateLimited => {
                "Trop de tentatives. Veuillez patienter un instant, puis réessayer."
            }
            AuthError::AccountLocked => {
                "Trop de tentatives de connexion échouées. Veuillez réessayer plus tard."
            }
            AuthError::EmailNotVerified => {
                "Veuillez d'abord vérifier votre adresse e-mail\u{a0}: ouvrez le lien que nous vous avons envoyé."
            }
            AuthError::TwoFactorRequired => {
                "Saisissez le code de votre application d'authentification."
            }
            AuthError::SessionNotFresh => "Veuillez confirmer votre identité pour continuer.",
            AuthError::InvalidEmail => "Veuillez saisir une adresse e-mail valide.",
            AuthError::WeakPassword => "Le mot de passe doit contenir entre 8 et 256 caractères.",
            AuthError::InvalidName => "Le nom ne doit pas dépasser 100 caractères.",
            AuthError::EmailTaken => "Un compte existe déjà avec cette adresse e-mail.",
            AuthError::SignUpDisabled => "L'inscription n'est pas possible ici.",
            AuthError::Default => "Une erreur s'est produite. Veuillez réessayer.",
        },
        Text::TooManyFailedSignIns => "Trop de tentatives de connexion échouées.",
        Text::TooManyAttempts => "Trop de tentatives.",
        Text::TryAgainInAMinute => "Réessayez dans 1 minute.",
        Text::TryAgainInMinutes => "Réessayez dans {minutes} minutes.",
        Text::MailSignInSubject => "Connexion à {site}",
        Text::MailSignInBody => {
            "Cliquez sur le bouton pour vous connecter. Le lien est valable 24 heures et ne peut être utilisé qu'une seule fois."
        }
        Text::MailSignInIgnore => {
            "Si vous n'avez pas essayé de vous connecter, vous pouvez ignorer cet e-mail."
        }
        Text::MailResetSubject => "Réinitialisation de votre mot de passe sur {site}",
        Text::MailResetBody => {
            "Cliquez sur le bouton pour choisir un nouveau mot de passe. Le lien est valable une heure et ne peut être utilisé qu'une seule fois."
        }
        Text::MailResetButton => "Choisir un nouveau mot de passe",
        Text::MailResetIgnore => {
            "Si vous n'êtes pas à l'origine de cette demande, vous pouvez ignorer cet e-mail\u{a0}: votre mot de passe reste inchangé."
        }
        Text::MailVerifySubject => "Vérifiez votre adresse e-mail sur {site}",
        Text::MailVerifyBody => {
            "Cliquez sur le bouton pour confirmer que cette adresse vous appartient. Le lien est valable 24 heures et ne peut être utilisé qu'une seule fois."
        }
        Text::MailVerifyIgnore => {
            "Si vous n'avez pas créé de compte, quelqu'un d'autre a utilisé votre adresse\u{a0}: ouvrez le lien et choisissez «\u{a0}Ce n'était pas moi\u{a0}» pour récupérer le compte, ou ignorez cet e-mail."
        }
        Text::MailExistsSubject => "Quelqu'un a tenté de s'inscrire sur {site} avec votre adresse",
        Text::MailExistsBody => {
            "Un compte allait être créé avec cette adresse, mais vous en avez déjà un, donc aucun compte n'a été créé. Si c'était vous, connectez-vous plutôt. La page de connexion peut aussi vous aider si vous avez oublié votre mot de passe."
        }
        Text::MailExistsIgnore => {
            "Si ce n'était pas vous, vous pouvez ignorer cet e-mail\u{a0}: rien n'a été modifié."
        }
        Text::MailCopyLink => "Ou copiez ce lien dans votre navigateur\u{a0}:",
        Text::PasskeySignIn => "Se connecter avec une clé d'accès",
        Text::PasskeySignUp => "S'inscrire plutôt avec une clé d'accès",
        Text::Passkeys => "Clés d'accès",
        Text::PasskeyNameExample => "MacBook, Pixel…",
        Text::AddPasskey => "Ajouter une clé d'accès",
        Text::ConfirmFirst => "Confirmez d'abord qu'il s'agit bien de vous\u{a0}:",
        Text::YourPassword => "Votre mot de passe",
        Text::ConfirmWithPassword => "Confirmer avec le mot de passe",
        Text::ConfirmWithPasskey => "Confirmer avec une clé d'accès",
        Text::RemovePassword => "Supprimer mon mot de passe",
        Text::TryAgain => "Veuillez réessayer.",
        Text::PasskeyExists => "Cet appareil dispose déjà d'une clé d'accès pour ce compte.",
        Text::PasskeyPromptClosed => "La fenêtre de la clé d'accès a été fermée.",
        Text::PasskeyFailed => "La clé d'accès n'a pas pu être utilisée.",
        Text::FollowPrompt => "Suivez les instructions de votre navigateur…",
        Text::PasskeyAdded => "Clé d'accès ajoutée.",
        Text::NewPasskeyName => "Nouveau nom pour cette clé d'accès",
        Text::PasswordRemoved => {
            "Votre mot de passe a été supprimé\u{a0}: connectez-vous avec une clé d'accès."
        }
        Text::AddedOn => "ajoutée le {date}",
        Text::LastUsedOn => "dernière utilisation le {date}",
        Text::NeverUsed => "jamais utilisée",
        Text::Synced => "synchronisée",
        Text::Rename => "Renommer",
        Text::Delete => "Supprimer",
    }
}
