
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
        &'wsdb;help;completions'= {
        }
        &'wsdb;help;help'= {
        }
    ]
    $completions[$command]
}
