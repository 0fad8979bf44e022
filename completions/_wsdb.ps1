
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
