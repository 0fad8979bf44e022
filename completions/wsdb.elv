
use builtin;
use str;

set edit:completion:arg-completer[wsdb] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'wsdb'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'wsdb'= {
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Write a commented wsdb.toml and an empty migrations/ folder'
            cand new 'Create the next .up.sql/.down.sql pair and record it in wsdb.sum'
            cand hash 'Rewrite wsdb.sum from the migration files'
            cand lint 'Check the migration set offline: names, gaps, directives, sum, unsafe SQL'
            cand check 'Validate the configuration and migrations, then reach the databases'
            cand workspaces 'List the workspaces the control database''s query returns'
            cand status 'Applied, latest, pending, drift and lock holder, per workspace'
            cand migrate 'Apply pending migrations'
            cand verify 'Compare applied migrations with the files; exit 3 on drift or unknown versions'
            cand rollback 'Run down migrations to a version, by steps, or to undo one run'
            cand baseline 'Mark databases wsdb never migrated as being at a version'
            cand repair 'Clear failed history rows and realign drifted checksums, after a human decision'
            cand provision 'Create missing workspace databases, then migrate them'
            cand history 'The applied migrations of one workspace'
            cand control 'wsdb''s own schema in the control database'
            cand runs 'Past runs from the ledger, and one run across all its runners'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wsdb;init'= {
            cand --dir 'Folder to initialise'
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand --force 'Overwrite an existing wsdb.toml'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;new'= {
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand --timestamp 'Number the migration with the current UTC time instead of the next integer'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;hash'= {
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;lint'= {
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;check'= {
            cand --sample 'How many workspaces to reach'
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand --offline 'Check only what needs no network: wsdb.toml, the migration files, wsdb.sum'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;workspaces'= {
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;status'= {
            cand -w 'A workspace id (repeatable)'
            cand --workspace 'A workspace id (repeatable)'
            cand --group 'The workspaces whose `group` column is G (repeatable)'
            cand --shard 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners'
            cand --shard-count 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)'
            cand --concurrency 'Workspaces in flight at once [default: `[run] concurrency`]'
            cand --per-server 'At most N workspaces in flight on one SQL Server host'
            cand --canary 'Run N workspaces first; stop if any of them fails'
            cand --max-failures 'Error budget: schedule nothing new after N failures (or N% of the selection)'
            cand --lock-timeout 'How long to wait for another run''s lock [default: `[run] lock_timeout`]'
            cand --run-id 'With --queue: runners given the same id join the same run'
            cand --lease 'With --queue: how long a claimed workspace stays this runner''s without a renewal'
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand --check 'Exit 3 when any workspace has pending migrations, drift or unknown versions'
            cand --cached 'Read the ledger''s version cache instead of the workspaces'
            cand --refresh 'Also write what was found to the ledger''s version cache'
            cand --all 'Every workspace the control query returns'
            cand --preflight 'Reach and check every selected workspace before changing any'
            cand --no-ledger 'Do not write the run to the control database''s ledger'
            cand --queue 'Cooperate with other runners through claims and leases in the control database'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;migrate'= {
            cand --to 'Stop at this version instead of the latest'
            cand --resume 'Only the workspaces that failed or were not reached in this run'
            cand -w 'A workspace id (repeatable)'
            cand --workspace 'A workspace id (repeatable)'
            cand --group 'The workspaces whose `group` column is G (repeatable)'
            cand --shard 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners'
            cand --shard-count 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)'
            cand --concurrency 'Workspaces in flight at once [default: `[run] concurrency`]'
            cand --per-server 'At most N workspaces in flight on one SQL Server host'
            cand --canary 'Run N workspaces first; stop if any of them fails'
            cand --max-failures 'Error budget: schedule nothing new after N failures (or N% of the selection)'
            cand --lock-timeout 'How long to wait for another run''s lock [default: `[run] lock_timeout`]'
            cand --run-id 'With --queue: runners given the same id join the same run'
            cand --lease 'With --queue: how long a claimed workspace stays this runner''s without a renewal'
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand --dry-run 'Print the batches that would run; lock nothing, change nothing'
            cand --all 'Every workspace the control query returns'
            cand --preflight 'Reach and check every selected workspace before changing any'
            cand --no-ledger 'Do not write the run to the control database''s ledger'
            cand --queue 'Cooperate with other runners through claims and leases in the control database'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;verify'= {
            cand -w 'A workspace id (repeatable)'
            cand --workspace 'A workspace id (repeatable)'
            cand --group 'The workspaces whose `group` column is G (repeatable)'
            cand --shard 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners'
            cand --shard-count 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)'
            cand --concurrency 'Workspaces in flight at once [default: `[run] concurrency`]'
            cand --per-server 'At most N workspaces in flight on one SQL Server host'
            cand --canary 'Run N workspaces first; stop if any of them fails'
            cand --max-failures 'Error budget: schedule nothing new after N failures (or N% of the selection)'
            cand --lock-timeout 'How long to wait for another run''s lock [default: `[run] lock_timeout`]'
            cand --run-id 'With --queue: runners given the same id join the same run'
            cand --lease 'With --queue: how long a claimed workspace stays this runner''s without a renewal'
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand --all 'Every workspace the control query returns'
            cand --preflight 'Reach and check every selected workspace before changing any'
            cand --no-ledger 'Do not write the run to the control database''s ledger'
            cand --queue 'Cooperate with other runners through claims and leases in the control database'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;rollback'= {
            cand --to 'Roll back to this version (it stays applied)'
            cand --steps 'Roll back this many migrations'
            cand --run 'Undo what this run applied, in reverse order'
            cand -w 'A workspace id (repeatable)'
            cand --workspace 'A workspace id (repeatable)'
            cand --group 'The workspaces whose `group` column is G (repeatable)'
            cand --shard 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners'
            cand --shard-count 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)'
            cand --concurrency 'Workspaces in flight at once [default: `[run] concurrency`]'
            cand --per-server 'At most N workspaces in flight on one SQL Server host'
            cand --canary 'Run N workspaces first; stop if any of them fails'
            cand --max-failures 'Error budget: schedule nothing new after N failures (or N% of the selection)'
            cand --lock-timeout 'How long to wait for another run''s lock [default: `[run] lock_timeout`]'
            cand --run-id 'With --queue: runners given the same id join the same run'
            cand --lease 'With --queue: how long a claimed workspace stays this runner''s without a renewal'
            cand --confirm-env 'The env''s name, to confirm a destructive command on a `protected` env without a terminal'
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand --dry-run 'Print the down batches that would run; change nothing'
            cand --all 'Every workspace the control query returns'
            cand --preflight 'Reach and check every selected workspace before changing any'
            cand --no-ledger 'Do not write the run to the control database''s ledger'
            cand --queue 'Cooperate with other runners through claims and leases in the control database'
            cand -y 'Do not ask for confirmation (required when not on a terminal)'
            cand --yes 'Do not ask for confirmation (required when not on a terminal)'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;baseline'= {
            cand -w 'A workspace id (repeatable)'
            cand --workspace 'A workspace id (repeatable)'
            cand --group 'The workspaces whose `group` column is G (repeatable)'
            cand --shard 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners'
            cand --shard-count 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)'
            cand --concurrency 'Workspaces in flight at once [default: `[run] concurrency`]'
            cand --per-server 'At most N workspaces in flight on one SQL Server host'
            cand --canary 'Run N workspaces first; stop if any of them fails'
            cand --max-failures 'Error budget: schedule nothing new after N failures (or N% of the selection)'
            cand --lock-timeout 'How long to wait for another run''s lock [default: `[run] lock_timeout`]'
            cand --run-id 'With --queue: runners given the same id join the same run'
            cand --lease 'With --queue: how long a claimed workspace stays this runner''s without a renewal'
            cand --confirm-env 'The env''s name, to confirm a destructive command on a `protected` env without a terminal'
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand --all 'Every workspace the control query returns'
            cand --preflight 'Reach and check every selected workspace before changing any'
            cand --no-ledger 'Do not write the run to the control database''s ledger'
            cand --queue 'Cooperate with other runners through claims and leases in the control database'
            cand -y 'Do not ask for confirmation (required when not on a terminal)'
            cand --yes 'Do not ask for confirmation (required when not on a terminal)'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;repair'= {
            cand -w 'A workspace id (repeatable)'
            cand --workspace 'A workspace id (repeatable)'
            cand --group 'The workspaces whose `group` column is G (repeatable)'
            cand --shard 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners'
            cand --shard-count 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)'
            cand --concurrency 'Workspaces in flight at once [default: `[run] concurrency`]'
            cand --per-server 'At most N workspaces in flight on one SQL Server host'
            cand --canary 'Run N workspaces first; stop if any of them fails'
            cand --max-failures 'Error budget: schedule nothing new after N failures (or N% of the selection)'
            cand --lock-timeout 'How long to wait for another run''s lock [default: `[run] lock_timeout`]'
            cand --run-id 'With --queue: runners given the same id join the same run'
            cand --lease 'With --queue: how long a claimed workspace stays this runner''s without a renewal'
            cand --confirm-env 'The env''s name, to confirm a destructive command on a `protected` env without a terminal'
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand --all 'Every workspace the control query returns'
            cand --preflight 'Reach and check every selected workspace before changing any'
            cand --no-ledger 'Do not write the run to the control database''s ledger'
            cand --queue 'Cooperate with other runners through claims and leases in the control database'
            cand -y 'Do not ask for confirmation (required when not on a terminal)'
            cand --yes 'Do not ask for confirmation (required when not on a terminal)'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;provision'= {
            cand -w 'A workspace id (repeatable)'
            cand --workspace 'A workspace id (repeatable)'
            cand --group 'The workspaces whose `group` column is G (repeatable)'
            cand --shard 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners'
            cand --shard-count 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)'
            cand --concurrency 'Workspaces in flight at once [default: `[run] concurrency`]'
            cand --per-server 'At most N workspaces in flight on one SQL Server host'
            cand --canary 'Run N workspaces first; stop if any of them fails'
            cand --max-failures 'Error budget: schedule nothing new after N failures (or N% of the selection)'
            cand --lock-timeout 'How long to wait for another run''s lock [default: `[run] lock_timeout`]'
            cand --run-id 'With --queue: runners given the same id join the same run'
            cand --lease 'With --queue: how long a claimed workspace stays this runner''s without a renewal'
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand --all 'Every workspace the control query returns'
            cand --preflight 'Reach and check every selected workspace before changing any'
            cand --no-ledger 'Do not write the run to the control database''s ledger'
            cand --queue 'Cooperate with other runners through claims and leases in the control database'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;history'= {
            cand -w 'The workspace'
            cand --workspace 'The workspace'
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;control'= {
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create or upgrade wsdb''s schema in the control database'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wsdb;control;init'= {
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;control;help'= {
            cand init 'Create or upgrade wsdb''s schema in the control database'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wsdb;control;help;init'= {
        }
        &'wsdb;control;help;help'= {
        }
        &'wsdb;runs'= {
            cand --limit 'How many runs to list'
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'One run across all its runners'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wsdb;runs;show'= {
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;runs;help'= {
            cand show 'One run across all its runners'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wsdb;runs;help;show'= {
        }
        &'wsdb;runs;help;help'= {
        }
        &'wsdb;completions'= {
            cand --config 'Configuration file [default: ./wsdb.toml]'
            cand --env 'Environment of wsdb.toml to use [default: `default_env`]'
            cand --migrations 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]'
            cand --format 'Output format: a table for people, JSON for machines'
            cand -q 'Print only errors and the final result'
            cand --quiet 'Print only errors and the final result'
            cand -v 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand --verbose 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'wsdb;help'= {
            cand init 'Write a commented wsdb.toml and an empty migrations/ folder'
            cand new 'Create the next .up.sql/.down.sql pair and record it in wsdb.sum'
            cand hash 'Rewrite wsdb.sum from the migration files'
            cand lint 'Check the migration set offline: names, gaps, directives, sum, unsafe SQL'
            cand check 'Validate the configuration and migrations, then reach the databases'
            cand workspaces 'List the workspaces the control database''s query returns'
            cand status 'Applied, latest, pending, drift and lock holder, per workspace'
            cand migrate 'Apply pending migrations'
            cand verify 'Compare applied migrations with the files; exit 3 on drift or unknown versions'
            cand rollback 'Run down migrations to a version, by steps, or to undo one run'
            cand baseline 'Mark databases wsdb never migrated as being at a version'
            cand repair 'Clear failed history rows and realign drifted checksums, after a human decision'
            cand provision 'Create missing workspace databases, then migrate them'
            cand history 'The applied migrations of one workspace'
            cand control 'wsdb''s own schema in the control database'
            cand runs 'Past runs from the ledger, and one run across all its runners'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wsdb;help;init'= {
        }
        &'wsdb;help;new'= {
        }
        &'wsdb;help;hash'= {
        }
        &'wsdb;help;lint'= {
        }
        &'wsdb;help;check'= {
        }
        &'wsdb;help;workspaces'= {
        }
        &'wsdb;help;status'= {
        }
        &'wsdb;help;migrate'= {
        }
        &'wsdb;help;verify'= {
        }
        &'wsdb;help;rollback'= {
        }
        &'wsdb;help;baseline'= {
        }
        &'wsdb;help;repair'= {
        }
        &'wsdb;help;provision'= {
        }
        &'wsdb;help;history'= {
        }
        &'wsdb;help;control'= {
            cand init 'Create or upgrade wsdb''s schema in the control database'
        }
        &'wsdb;help;control;init'= {
        }
        &'wsdb;help;runs'= {
            cand show 'One run across all its runners'
        }
        &'wsdb;help;runs;show'= {
        }
        &'wsdb;help;completions'= {
        }
        &'wsdb;help;help'= {
        }
    ]
    $completions[$command]
}
