
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'wsdb' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'wsdb'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'wsdb' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented wsdb.toml and an empty migrations/ folder')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create the next .up.sql/.down.sql pair and record it in wsdb.sum')
            [CompletionResult]::new('hash', 'hash', [CompletionResultType]::ParameterValue, 'Rewrite wsdb.sum from the migration files')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check the migration set offline: names, gaps, directives, sum, unsafe SQL')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the configuration and migrations, then reach the databases')
            [CompletionResult]::new('workspaces', 'workspaces', [CompletionResultType]::ParameterValue, 'List the workspaces the control database''s query returns')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Applied, latest, pending, drift and lock holder, per workspace')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply pending migrations')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Compare applied migrations with the files; exit 3 on drift or unknown versions')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Run down migrations to a version, by steps, or to undo one run')
            [CompletionResult]::new('baseline', 'baseline', [CompletionResultType]::ParameterValue, 'Mark databases wsdb never migrated as being at a version')
            [CompletionResult]::new('repair', 'repair', [CompletionResultType]::ParameterValue, 'Clear failed history rows and realign drifted checksums, after a human decision')
            [CompletionResult]::new('provision', 'provision', [CompletionResultType]::ParameterValue, 'Create missing workspace databases, then migrate them')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The applied migrations of one workspace')
            [CompletionResult]::new('control', 'control', [CompletionResultType]::ParameterValue, 'wsdb''s own schema in the control database')
            [CompletionResult]::new('runs', 'runs', [CompletionResultType]::ParameterValue, 'Past runs from the ledger, and one run across all its runners')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wsdb;init' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Folder to initialise')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite an existing wsdb.toml')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;new' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('--timestamp', '--timestamp', [CompletionResultType]::ParameterName, 'Number the migration with the current UTC time instead of the next integer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;hash' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;lint' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;check' {
            [CompletionResult]::new('--sample', '--sample', [CompletionResultType]::ParameterName, 'How many workspaces to reach')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Check only what needs no network: wsdb.toml, the migration files, wsdb.sum')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;workspaces' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;status' {
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'A workspace id (repeatable)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'A workspace id (repeatable)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'The workspaces whose `group` column is G (repeatable)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners')
            [CompletionResult]::new('--shard-count', '--shard-count', [CompletionResultType]::ParameterName, 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Workspaces in flight at once [default: `[run] concurrency`]')
            [CompletionResult]::new('--per-server', '--per-server', [CompletionResultType]::ParameterName, 'At most N workspaces in flight on one SQL Server host')
            [CompletionResult]::new('--canary', '--canary', [CompletionResultType]::ParameterName, 'Run N workspaces first; stop if any of them fails')
            [CompletionResult]::new('--max-failures', '--max-failures', [CompletionResultType]::ParameterName, 'Error budget: schedule nothing new after N failures (or N% of the selection)')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another run''s lock [default: `[run] lock_timeout`]')
            [CompletionResult]::new('--run-id', '--run-id', [CompletionResultType]::ParameterName, 'With --queue: runners given the same id join the same run')
            [CompletionResult]::new('--lease', '--lease', [CompletionResultType]::ParameterName, 'With --queue: how long a claimed workspace stays this runner''s without a renewal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Exit 3 when any workspace has pending migrations, drift or unknown versions')
            [CompletionResult]::new('--cached', '--cached', [CompletionResultType]::ParameterName, 'Read the ledger''s version cache instead of the workspaces')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Also write what was found to the ledger''s version cache')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every workspace the control query returns')
            [CompletionResult]::new('--preflight', '--preflight', [CompletionResultType]::ParameterName, 'Reach and check every selected workspace before changing any')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not write the run to the control database''s ledger')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Cooperate with other runners through claims and leases in the control database')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;migrate' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Stop at this version instead of the latest')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Only the workspaces that failed or were not reached in this run')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'A workspace id (repeatable)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'A workspace id (repeatable)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'The workspaces whose `group` column is G (repeatable)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners')
            [CompletionResult]::new('--shard-count', '--shard-count', [CompletionResultType]::ParameterName, 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Workspaces in flight at once [default: `[run] concurrency`]')
            [CompletionResult]::new('--per-server', '--per-server', [CompletionResultType]::ParameterName, 'At most N workspaces in flight on one SQL Server host')
            [CompletionResult]::new('--canary', '--canary', [CompletionResultType]::ParameterName, 'Run N workspaces first; stop if any of them fails')
            [CompletionResult]::new('--max-failures', '--max-failures', [CompletionResultType]::ParameterName, 'Error budget: schedule nothing new after N failures (or N% of the selection)')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another run''s lock [default: `[run] lock_timeout`]')
            [CompletionResult]::new('--run-id', '--run-id', [CompletionResultType]::ParameterName, 'With --queue: runners given the same id join the same run')
            [CompletionResult]::new('--lease', '--lease', [CompletionResultType]::ParameterName, 'With --queue: how long a claimed workspace stays this runner''s without a renewal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the batches that would run; lock nothing, change nothing')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every workspace the control query returns')
            [CompletionResult]::new('--preflight', '--preflight', [CompletionResultType]::ParameterName, 'Reach and check every selected workspace before changing any')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not write the run to the control database''s ledger')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Cooperate with other runners through claims and leases in the control database')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;verify' {
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'A workspace id (repeatable)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'A workspace id (repeatable)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'The workspaces whose `group` column is G (repeatable)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners')
            [CompletionResult]::new('--shard-count', '--shard-count', [CompletionResultType]::ParameterName, 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Workspaces in flight at once [default: `[run] concurrency`]')
            [CompletionResult]::new('--per-server', '--per-server', [CompletionResultType]::ParameterName, 'At most N workspaces in flight on one SQL Server host')
            [CompletionResult]::new('--canary', '--canary', [CompletionResultType]::ParameterName, 'Run N workspaces first; stop if any of them fails')
            [CompletionResult]::new('--max-failures', '--max-failures', [CompletionResultType]::ParameterName, 'Error budget: schedule nothing new after N failures (or N% of the selection)')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another run''s lock [default: `[run] lock_timeout`]')
            [CompletionResult]::new('--run-id', '--run-id', [CompletionResultType]::ParameterName, 'With --queue: runners given the same id join the same run')
            [CompletionResult]::new('--lease', '--lease', [CompletionResultType]::ParameterName, 'With --queue: how long a claimed workspace stays this runner''s without a renewal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every workspace the control query returns')
            [CompletionResult]::new('--preflight', '--preflight', [CompletionResultType]::ParameterName, 'Reach and check every selected workspace before changing any')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not write the run to the control database''s ledger')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Cooperate with other runners through claims and leases in the control database')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;rollback' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Roll back to this version (it stays applied)')
            [CompletionResult]::new('--steps', '--steps', [CompletionResultType]::ParameterName, 'Roll back this many migrations')
            [CompletionResult]::new('--run', '--run', [CompletionResultType]::ParameterName, 'Undo what this run applied, in reverse order')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'A workspace id (repeatable)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'A workspace id (repeatable)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'The workspaces whose `group` column is G (repeatable)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners')
            [CompletionResult]::new('--shard-count', '--shard-count', [CompletionResultType]::ParameterName, 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Workspaces in flight at once [default: `[run] concurrency`]')
            [CompletionResult]::new('--per-server', '--per-server', [CompletionResultType]::ParameterName, 'At most N workspaces in flight on one SQL Server host')
            [CompletionResult]::new('--canary', '--canary', [CompletionResultType]::ParameterName, 'Run N workspaces first; stop if any of them fails')
            [CompletionResult]::new('--max-failures', '--max-failures', [CompletionResultType]::ParameterName, 'Error budget: schedule nothing new after N failures (or N% of the selection)')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another run''s lock [default: `[run] lock_timeout`]')
            [CompletionResult]::new('--run-id', '--run-id', [CompletionResultType]::ParameterName, 'With --queue: runners given the same id join the same run')
            [CompletionResult]::new('--lease', '--lease', [CompletionResultType]::ParameterName, 'With --queue: how long a claimed workspace stays this runner''s without a renewal')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'The env''s name, to confirm a destructive command on a `protected` env without a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the down batches that would run; change nothing')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every workspace the control query returns')
            [CompletionResult]::new('--preflight', '--preflight', [CompletionResultType]::ParameterName, 'Reach and check every selected workspace before changing any')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not write the run to the control database''s ledger')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Cooperate with other runners through claims and leases in the control database')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;baseline' {
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'A workspace id (repeatable)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'A workspace id (repeatable)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'The workspaces whose `group` column is G (repeatable)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners')
            [CompletionResult]::new('--shard-count', '--shard-count', [CompletionResultType]::ParameterName, 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Workspaces in flight at once [default: `[run] concurrency`]')
            [CompletionResult]::new('--per-server', '--per-server', [CompletionResultType]::ParameterName, 'At most N workspaces in flight on one SQL Server host')
            [CompletionResult]::new('--canary', '--canary', [CompletionResultType]::ParameterName, 'Run N workspaces first; stop if any of them fails')
            [CompletionResult]::new('--max-failures', '--max-failures', [CompletionResultType]::ParameterName, 'Error budget: schedule nothing new after N failures (or N% of the selection)')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another run''s lock [default: `[run] lock_timeout`]')
            [CompletionResult]::new('--run-id', '--run-id', [CompletionResultType]::ParameterName, 'With --queue: runners given the same id join the same run')
            [CompletionResult]::new('--lease', '--lease', [CompletionResultType]::ParameterName, 'With --queue: how long a claimed workspace stays this runner''s without a renewal')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'The env''s name, to confirm a destructive command on a `protected` env without a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every workspace the control query returns')
            [CompletionResult]::new('--preflight', '--preflight', [CompletionResultType]::ParameterName, 'Reach and check every selected workspace before changing any')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not write the run to the control database''s ledger')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Cooperate with other runners through claims and leases in the control database')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;repair' {
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'A workspace id (repeatable)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'A workspace id (repeatable)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'The workspaces whose `group` column is G (repeatable)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners')
            [CompletionResult]::new('--shard-count', '--shard-count', [CompletionResultType]::ParameterName, 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Workspaces in flight at once [default: `[run] concurrency`]')
            [CompletionResult]::new('--per-server', '--per-server', [CompletionResultType]::ParameterName, 'At most N workspaces in flight on one SQL Server host')
            [CompletionResult]::new('--canary', '--canary', [CompletionResultType]::ParameterName, 'Run N workspaces first; stop if any of them fails')
            [CompletionResult]::new('--max-failures', '--max-failures', [CompletionResultType]::ParameterName, 'Error budget: schedule nothing new after N failures (or N% of the selection)')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another run''s lock [default: `[run] lock_timeout`]')
            [CompletionResult]::new('--run-id', '--run-id', [CompletionResultType]::ParameterName, 'With --queue: runners given the same id join the same run')
            [CompletionResult]::new('--lease', '--lease', [CompletionResultType]::ParameterName, 'With --queue: how long a claimed workspace stays this runner''s without a renewal')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'The env''s name, to confirm a destructive command on a `protected` env without a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every workspace the control query returns')
            [CompletionResult]::new('--preflight', '--preflight', [CompletionResultType]::ParameterName, 'Reach and check every selected workspace before changing any')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not write the run to the control database''s ledger')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Cooperate with other runners through claims and leases in the control database')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;provision' {
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'A workspace id (repeatable)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'A workspace id (repeatable)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'The workspaces whose `group` column is G (repeatable)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners')
            [CompletionResult]::new('--shard-count', '--shard-count', [CompletionResultType]::ParameterName, 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Workspaces in flight at once [default: `[run] concurrency`]')
            [CompletionResult]::new('--per-server', '--per-server', [CompletionResultType]::ParameterName, 'At most N workspaces in flight on one SQL Server host')
            [CompletionResult]::new('--canary', '--canary', [CompletionResultType]::ParameterName, 'Run N workspaces first; stop if any of them fails')
            [CompletionResult]::new('--max-failures', '--max-failures', [CompletionResultType]::ParameterName, 'Error budget: schedule nothing new after N failures (or N% of the selection)')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another run''s lock [default: `[run] lock_timeout`]')
            [CompletionResult]::new('--run-id', '--run-id', [CompletionResultType]::ParameterName, 'With --queue: runners given the same id join the same run')
            [CompletionResult]::new('--lease', '--lease', [CompletionResultType]::ParameterName, 'With --queue: how long a claimed workspace stays this runner''s without a renewal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every workspace the control query returns')
            [CompletionResult]::new('--preflight', '--preflight', [CompletionResultType]::ParameterName, 'Reach and check every selected workspace before changing any')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not write the run to the control database''s ledger')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Cooperate with other runners through claims and leases in the control database')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;history' {
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'The workspace')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;control' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create or upgrade wsdb''s schema in the control database')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wsdb;control;init' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;control;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create or upgrade wsdb''s schema in the control database')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wsdb;control;help;init' {
            break
        }
        'wsdb;control;help;help' {
            break
        }
        'wsdb;runs' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many runs to list')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One run across all its runners')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wsdb;runs;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;runs;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One run across all its runners')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wsdb;runs;help;show' {
            break
        }
        'wsdb;runs;help;help' {
            break
        }
        'wsdb;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./wsdb.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment of wsdb.toml to use [default: `default_env`]')
            [CompletionResult]::new('--migrations', '--migrations', [CompletionResultType]::ParameterName, 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table for people, JSON for machines')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the final result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'wsdb;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented wsdb.toml and an empty migrations/ folder')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create the next .up.sql/.down.sql pair and record it in wsdb.sum')
            [CompletionResult]::new('hash', 'hash', [CompletionResultType]::ParameterValue, 'Rewrite wsdb.sum from the migration files')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check the migration set offline: names, gaps, directives, sum, unsafe SQL')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the configuration and migrations, then reach the databases')
            [CompletionResult]::new('workspaces', 'workspaces', [CompletionResultType]::ParameterValue, 'List the workspaces the control database''s query returns')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Applied, latest, pending, drift and lock holder, per workspace')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply pending migrations')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Compare applied migrations with the files; exit 3 on drift or unknown versions')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Run down migrations to a version, by steps, or to undo one run')
            [CompletionResult]::new('baseline', 'baseline', [CompletionResultType]::ParameterValue, 'Mark databases wsdb never migrated as being at a version')
            [CompletionResult]::new('repair', 'repair', [CompletionResultType]::ParameterValue, 'Clear failed history rows and realign drifted checksums, after a human decision')
            [CompletionResult]::new('provision', 'provision', [CompletionResultType]::ParameterValue, 'Create missing workspace databases, then migrate them')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The applied migrations of one workspace')
            [CompletionResult]::new('control', 'control', [CompletionResultType]::ParameterValue, 'wsdb''s own schema in the control database')
            [CompletionResult]::new('runs', 'runs', [CompletionResultType]::ParameterValue, 'Past runs from the ledger, and one run across all its runners')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wsdb;help;init' {
            break
        }
        'wsdb;help;new' {
            break
        }
        'wsdb;help;hash' {
            break
        }
        'wsdb;help;lint' {
            break
        }
        'wsdb;help;check' {
            break
        }
        'wsdb;help;workspaces' {
            break
        }
        'wsdb;help;status' {
            break
        }
        'wsdb;help;migrate' {
            break
        }
        'wsdb;help;verify' {
            break
        }
        'wsdb;help;rollback' {
            break
        }
        'wsdb;help;baseline' {
            break
        }
        'wsdb;help;repair' {
            break
        }
        'wsdb;help;provision' {
            break
        }
        'wsdb;help;history' {
            break
        }
        'wsdb;help;control' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create or upgrade wsdb''s schema in the control database')
            break
        }
        'wsdb;help;control;init' {
            break
        }
        'wsdb;help;runs' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One run across all its runners')
            break
        }
        'wsdb;help;runs;show' {
            break
        }
        'wsdb;help;completions' {
            break
        }
        'wsdb;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
