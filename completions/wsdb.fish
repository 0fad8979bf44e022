# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_wsdb_global_optspecs
    string join \n config= env= migrations= format= q/quiet v/verbose h/help V/version
end

function __fish_wsdb_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_wsdb_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_wsdb_using_subcommand
    set -l cmd (__fish_wsdb_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c wsdb -n "__fish_wsdb_needs_command" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_needs_command" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_needs_command" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_needs_command" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_needs_command" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_needs_command" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_needs_command" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "init" -d 'Write a commented wsdb.toml and an empty migrations/ folder'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "new" -d 'Create the next .up.sql/.down.sql pair and record it in wsdb.sum'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "hash" -d 'Rewrite wsdb.sum from the migration files'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "lint" -d 'Check the migration set offline: names, gaps, directives, sum, unsafe SQL'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "check" -d 'Validate the configuration and migrations, then reach the databases'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "workspaces" -d 'List the workspaces the control database\'s query returns'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "status" -d 'Applied, latest, pending, drift and lock holder, per workspace'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "migrate" -d 'Apply pending migrations'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "verify" -d 'Compare applied migrations with the files; exit 3 on drift or unknown versions'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "rollback" -d 'Run down migrations to a version, by steps, or to undo one run'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "baseline" -d 'Mark databases wsdb never migrated as being at a version'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "repair" -d 'Clear failed history rows and realign drifted checksums, after a human decision'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "provision" -d 'Create missing workspace databases, then migrate them'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "history" -d 'The applied migrations of one workspace'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "control" -d 'wsdb\'s own schema in the control database'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "runs" -d 'Past runs from the ledger, and one run across all its runners'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c wsdb -n "__fish_wsdb_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wsdb -n "__fish_wsdb_using_subcommand init" -l dir -d 'Folder to initialise' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand init" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand init" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand init" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand init" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand init" -l force -d 'Overwrite an existing wsdb.toml'
complete -c wsdb -n "__fish_wsdb_using_subcommand init" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand init" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand init" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand new" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand new" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand new" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand new" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand new" -l timestamp -d 'Number the migration with the current UTC time instead of the next integer'
complete -c wsdb -n "__fish_wsdb_using_subcommand new" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand new" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand new" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand new" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand hash" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand hash" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand hash" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand hash" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand hash" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand hash" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand hash" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand hash" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand lint" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand lint" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand lint" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand lint" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand lint" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand lint" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand lint" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand check" -l sample -d 'How many workspaces to reach' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand check" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand check" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand check" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand check" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand check" -l offline -d 'Check only what needs no network: wsdb.toml, the migration files, wsdb.sum'
complete -c wsdb -n "__fish_wsdb_using_subcommand check" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand check" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand check" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand workspaces" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand workspaces" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand workspaces" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand workspaces" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand workspaces" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand workspaces" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand workspaces" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand workspaces" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -s w -l workspace -d 'A workspace id (repeatable)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l group -d 'The workspaces whose `group` column is G (repeatable)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l shard -d 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l shard-count -d 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l concurrency -d 'Workspaces in flight at once [default: `[run] concurrency`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l per-server -d 'At most N workspaces in flight on one SQL Server host' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l canary -d 'Run N workspaces first; stop if any of them fails' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l max-failures -d 'Error budget: schedule nothing new after N failures (or N% of the selection)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l lock-timeout -d 'How long to wait for another run\'s lock [default: `[run] lock_timeout`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l run-id -d 'With --queue: runners given the same id join the same run' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l lease -d 'With --queue: how long a claimed workspace stays this runner\'s without a renewal' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l check -d 'Exit 3 when any workspace has pending migrations, drift or unknown versions'
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l cached -d 'Read the ledger\'s version cache instead of the workspaces'
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l refresh -d 'Also write what was found to the ledger\'s version cache'
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l all -d 'Every workspace the control query returns'
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l preflight -d 'Reach and check every selected workspace before changing any'
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l no-ledger -d 'Do not write the run to the control database\'s ledger'
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -l queue -d 'Cooperate with other runners through claims and leases in the control database'
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand status" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l to -d 'Stop at this version instead of the latest' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l resume -d 'Only the workspaces that failed or were not reached in this run' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -s w -l workspace -d 'A workspace id (repeatable)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l group -d 'The workspaces whose `group` column is G (repeatable)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l shard -d 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l shard-count -d 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l concurrency -d 'Workspaces in flight at once [default: `[run] concurrency`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l per-server -d 'At most N workspaces in flight on one SQL Server host' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l canary -d 'Run N workspaces first; stop if any of them fails' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l max-failures -d 'Error budget: schedule nothing new after N failures (or N% of the selection)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l lock-timeout -d 'How long to wait for another run\'s lock [default: `[run] lock_timeout`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l run-id -d 'With --queue: runners given the same id join the same run' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l lease -d 'With --queue: how long a claimed workspace stays this runner\'s without a renewal' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l dry-run -d 'Print the batches that would run; lock nothing, change nothing'
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l all -d 'Every workspace the control query returns'
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l preflight -d 'Reach and check every selected workspace before changing any'
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l no-ledger -d 'Do not write the run to the control database\'s ledger'
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -l queue -d 'Cooperate with other runners through claims and leases in the control database'
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand migrate" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -s w -l workspace -d 'A workspace id (repeatable)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l group -d 'The workspaces whose `group` column is G (repeatable)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l shard -d 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l shard-count -d 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l concurrency -d 'Workspaces in flight at once [default: `[run] concurrency`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l per-server -d 'At most N workspaces in flight on one SQL Server host' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l canary -d 'Run N workspaces first; stop if any of them fails' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l max-failures -d 'Error budget: schedule nothing new after N failures (or N% of the selection)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l lock-timeout -d 'How long to wait for another run\'s lock [default: `[run] lock_timeout`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l run-id -d 'With --queue: runners given the same id join the same run' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l lease -d 'With --queue: how long a claimed workspace stays this runner\'s without a renewal' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l all -d 'Every workspace the control query returns'
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l preflight -d 'Reach and check every selected workspace before changing any'
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l no-ledger -d 'Do not write the run to the control database\'s ledger'
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -l queue -d 'Cooperate with other runners through claims and leases in the control database'
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand verify" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l to -d 'Roll back to this version (it stays applied)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l steps -d 'Roll back this many migrations' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l run -d 'Undo what this run applied, in reverse order' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -s w -l workspace -d 'A workspace id (repeatable)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l group -d 'The workspaces whose `group` column is G (repeatable)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l shard -d 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l shard-count -d 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l concurrency -d 'Workspaces in flight at once [default: `[run] concurrency`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l per-server -d 'At most N workspaces in flight on one SQL Server host' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l canary -d 'Run N workspaces first; stop if any of them fails' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l max-failures -d 'Error budget: schedule nothing new after N failures (or N% of the selection)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l lock-timeout -d 'How long to wait for another run\'s lock [default: `[run] lock_timeout`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l run-id -d 'With --queue: runners given the same id join the same run' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l lease -d 'With --queue: how long a claimed workspace stays this runner\'s without a renewal' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l confirm-env -d 'The env\'s name, to confirm a destructive command on a `protected` env without a terminal' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l dry-run -d 'Print the down batches that would run; change nothing'
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l all -d 'Every workspace the control query returns'
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l preflight -d 'Reach and check every selected workspace before changing any'
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l no-ledger -d 'Do not write the run to the control database\'s ledger'
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -l queue -d 'Cooperate with other runners through claims and leases in the control database'
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -s y -l yes -d 'Do not ask for confirmation (required when not on a terminal)'
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand rollback" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -s w -l workspace -d 'A workspace id (repeatable)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l group -d 'The workspaces whose `group` column is G (repeatable)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l shard -d 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l shard-count -d 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l concurrency -d 'Workspaces in flight at once [default: `[run] concurrency`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l per-server -d 'At most N workspaces in flight on one SQL Server host' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l canary -d 'Run N workspaces first; stop if any of them fails' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l max-failures -d 'Error budget: schedule nothing new after N failures (or N% of the selection)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l lock-timeout -d 'How long to wait for another run\'s lock [default: `[run] lock_timeout`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l run-id -d 'With --queue: runners given the same id join the same run' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l lease -d 'With --queue: how long a claimed workspace stays this runner\'s without a renewal' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l confirm-env -d 'The env\'s name, to confirm a destructive command on a `protected` env without a terminal' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l all -d 'Every workspace the control query returns'
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l preflight -d 'Reach and check every selected workspace before changing any'
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l no-ledger -d 'Do not write the run to the control database\'s ledger'
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -l queue -d 'Cooperate with other runners through claims and leases in the control database'
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -s y -l yes -d 'Do not ask for confirmation (required when not on a terminal)'
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand baseline" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -s w -l workspace -d 'A workspace id (repeatable)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l group -d 'The workspaces whose `group` column is G (repeatable)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l shard -d 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l shard-count -d 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l concurrency -d 'Workspaces in flight at once [default: `[run] concurrency`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l per-server -d 'At most N workspaces in flight on one SQL Server host' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l canary -d 'Run N workspaces first; stop if any of them fails' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l max-failures -d 'Error budget: schedule nothing new after N failures (or N% of the selection)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l lock-timeout -d 'How long to wait for another run\'s lock [default: `[run] lock_timeout`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l run-id -d 'With --queue: runners given the same id join the same run' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l lease -d 'With --queue: how long a claimed workspace stays this runner\'s without a renewal' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l confirm-env -d 'The env\'s name, to confirm a destructive command on a `protected` env without a terminal' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l all -d 'Every workspace the control query returns'
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l preflight -d 'Reach and check every selected workspace before changing any'
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l no-ledger -d 'Do not write the run to the control database\'s ledger'
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -l queue -d 'Cooperate with other runners through claims and leases in the control database'
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -s y -l yes -d 'Do not ask for confirmation (required when not on a terminal)'
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand repair" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -s w -l workspace -d 'A workspace id (repeatable)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l group -d 'The workspaces whose `group` column is G (repeatable)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l shard -d 'Only the I-th of N deterministic slices of the selection (0-based), for parallel runners' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l shard-count -d 'Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l concurrency -d 'Workspaces in flight at once [default: `[run] concurrency`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l per-server -d 'At most N workspaces in flight on one SQL Server host' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l canary -d 'Run N workspaces first; stop if any of them fails' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l max-failures -d 'Error budget: schedule nothing new after N failures (or N% of the selection)' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l lock-timeout -d 'How long to wait for another run\'s lock [default: `[run] lock_timeout`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l run-id -d 'With --queue: runners given the same id join the same run' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l lease -d 'With --queue: how long a claimed workspace stays this runner\'s without a renewal' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l all -d 'Every workspace the control query returns'
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l preflight -d 'Reach and check every selected workspace before changing any'
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l no-ledger -d 'Do not write the run to the control database\'s ledger'
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -l queue -d 'Cooperate with other runners through claims and leases in the control database'
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand provision" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand history" -s w -l workspace -d 'The workspace' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand history" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand history" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand history" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand history" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand history" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand history" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand history" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and not __fish_seen_subcommand_from init help" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and not __fish_seen_subcommand_from init help" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and not __fish_seen_subcommand_from init help" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and not __fish_seen_subcommand_from init help" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and not __fish_seen_subcommand_from init help" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and not __fish_seen_subcommand_from init help" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and not __fish_seen_subcommand_from init help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and not __fish_seen_subcommand_from init help" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and not __fish_seen_subcommand_from init help" -f -a "init" -d 'Create or upgrade wsdb\'s schema in the control database'
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and not __fish_seen_subcommand_from init help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and __fish_seen_subcommand_from init" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and __fish_seen_subcommand_from init" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and __fish_seen_subcommand_from init" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and __fish_seen_subcommand_from init" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and __fish_seen_subcommand_from init" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and __fish_seen_subcommand_from init" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and __fish_seen_subcommand_from help" -f -a "init" -d 'Create or upgrade wsdb\'s schema in the control database'
complete -c wsdb -n "__fish_wsdb_using_subcommand control; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and not __fish_seen_subcommand_from show help" -l limit -d 'How many runs to list' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and not __fish_seen_subcommand_from show help" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and not __fish_seen_subcommand_from show help" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and not __fish_seen_subcommand_from show help" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and not __fish_seen_subcommand_from show help" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and not __fish_seen_subcommand_from show help" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and not __fish_seen_subcommand_from show help" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'One run across all its runners'
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and __fish_seen_subcommand_from show" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and __fish_seen_subcommand_from show" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and __fish_seen_subcommand_from show" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and __fish_seen_subcommand_from help" -f -a "show" -d 'One run across all its runners'
complete -c wsdb -n "__fish_wsdb_using_subcommand runs; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wsdb -n "__fish_wsdb_using_subcommand completions" -l config -d 'Configuration file [default: ./wsdb.toml]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand completions" -l env -d 'Environment of wsdb.toml to use [default: `default_env`]' -r
complete -c wsdb -n "__fish_wsdb_using_subcommand completions" -l migrations -d 'Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]' -r -F
complete -c wsdb -n "__fish_wsdb_using_subcommand completions" -l format -d 'Output format: a table for people, JSON for machines' -r -f -a "table\t'Progress bars on a terminal, then a summary table'
json\t'One JSON document on stdout (see docs/json-output.md)'
ndjson\t'One JSON event per line on stdout'"
complete -c wsdb -n "__fish_wsdb_using_subcommand completions" -s q -l quiet -d 'Print only errors and the final result'
complete -c wsdb -n "__fish_wsdb_using_subcommand completions" -s v -l verbose -d 'More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides'
complete -c wsdb -n "__fish_wsdb_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsdb -n "__fish_wsdb_using_subcommand completions" -s V -l version -d 'Print version'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "init" -d 'Write a commented wsdb.toml and an empty migrations/ folder'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "new" -d 'Create the next .up.sql/.down.sql pair and record it in wsdb.sum'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "hash" -d 'Rewrite wsdb.sum from the migration files'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "lint" -d 'Check the migration set offline: names, gaps, directives, sum, unsafe SQL'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "check" -d 'Validate the configuration and migrations, then reach the databases'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "workspaces" -d 'List the workspaces the control database\'s query returns'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "status" -d 'Applied, latest, pending, drift and lock holder, per workspace'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "migrate" -d 'Apply pending migrations'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "verify" -d 'Compare applied migrations with the files; exit 3 on drift or unknown versions'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "rollback" -d 'Run down migrations to a version, by steps, or to undo one run'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "baseline" -d 'Mark databases wsdb never migrated as being at a version'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "repair" -d 'Clear failed history rows and realign drifted checksums, after a human decision'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "provision" -d 'Create missing workspace databases, then migrate them'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "history" -d 'The applied migrations of one workspace'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "control" -d 'wsdb\'s own schema in the control database'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "runs" -d 'Past runs from the ledger, and one run across all its runners'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "completions" -d 'Print shell completions'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check workspaces status migrate verify rollback baseline repair provision history control runs completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and __fish_seen_subcommand_from control" -f -a "init" -d 'Create or upgrade wsdb\'s schema in the control database'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and __fish_seen_subcommand_from runs" -f -a "show" -d 'One run across all its runners'
