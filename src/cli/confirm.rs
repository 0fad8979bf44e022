//! Confirmation before destructive commands (rollback, repair, baseline).
//!
//! On a terminal wsdb asks (y/N); a `protected` env requires typing its
//! name instead. Without a terminal nothing is asked: `--yes` is required,
//! and a protected env also requires `--confirm-env NAME`. The rules are a
//! pure function ([`decide`]) so they are tested without a terminal.

use std::io::IsTerminal;

use super::UsageError;
use super::fleet_args::ConfirmArgs;

/// What to do before going ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Proceed,
    AskYesNo,
    AskEnvName,
    Refuse(String),
}

pub fn decide(args: &ConfirmArgs, env: &str, protected: bool, terminal: bool) -> Decision {
    if protected {
        return match (&args.confirm_env, terminal) {
            (Some(name), _) if name == env => Decision::Proceed,
            (Some(name), _) => Decision::Refuse(format!(
                "`--confirm-env {name}` does not match the env `{env}`"
            )),
            (None, true) => Decision::AskEnvName,
            (None, false) => Decision::Refuse(format!(
                "env `{env}` is protected: this command needs `--confirm-env {env}` when not on a terminal"
            )),
        };
    }
    match (args.yes, terminal) {
        (true, _) => Decision::Proceed,
        (false, true) => Decision::AskYesNo,
        (false, false) => Decision::Refuse(
            "refusing to change workspaces without confirmation when not on a terminal\nhint: pass `--yes`"
                .to_owned(),
        ),
    }
}

/// Asks (or not) and returns `Ok(true)` to go ahead, `Ok(false)` when the
/// user declined.
pub fn confirm(what: &str, args: &ConfirmArgs, env: &str, protected: bool) -> anyhow::Result<bool> {
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    match decide(args, env, protected, terminal) {
        Decision::Proceed => Ok(true),
        Decision::Refuse(reason) => Err(UsageError(reason).into()),
        Decision::AskYesNo => Ok(dialoguer::Confirm::new()
            .with_prompt(format!("{what}?"))
            .default(false)
            .interact()?),
        Decision::AskEnvName => {
            let typed: String = dialoguer::Input::new()
                .with_prompt(format!(
                    "{what} in protected env `{env}`: type `{env}` to continue"
                ))
                .allow_empty(true)
                .interact_text()?;
            Ok(typed.trim() == env)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(yes: bool, confirm_env: Option<&str>) -> ConfirmArgs {
        ConfirmArgs {
            yes,
            confirm_env: confirm_env.map(str::to_owned),
        }
    }

    #[test]
    fn rules() {
        use Decision::*;
        assert_eq!(decide(&args(false, None), "dev", false, true), AskYesNo);
        assert_eq!(decide(&args(true, None), "dev", false, false), Proceed);
        assert!(matches!(
            decide(&args(false, None), "dev", false, false),
            Refuse(_)
        ));
        assert_eq!(decide(&args(true, None), "prod", true, true), AskEnvName);
        assert!(matches!(
            decide(&args(true, None), "prod", true, false),
            Refuse(_)
        ));
        assert_eq!(
            decide(&args(false, Some("prod")), "prod", true, false),
            Proceed
        );
        assert!(matches!(
            decide(&args(true, Some("dev")), "prod", true, false),
            Refuse(_)
        ));
    }
}
