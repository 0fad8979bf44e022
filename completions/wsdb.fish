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
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check completions help" -f -a "init" -d 'Write a commented wsdb.toml and an empty migrations/ folder'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check completions help" -f -a "new" -d 'Create the next .up.sql/.down.sql pair and record it in wsdb.sum'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check completions help" -f -a "hash" -d 'Rewrite wsdb.sum from the migration files'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check completions help" -f -a "lint" -d 'Check the migration set offline: names, gaps, directives, sum, unsafe SQL'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check completions help" -f -a "check" -d 'Validate the configuration and migrations, then reach the databases'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check completions help" -f -a "completions" -d 'Print shell completions'
complete -c wsdb -n "__fish_wsdb_using_subcommand help; and not __fish_seen_subcommand_from init new hash lint check completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
