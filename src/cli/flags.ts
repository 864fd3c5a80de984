/**
 * node's parseArgs errors, in French and naming the option: its English text (« Unknown option
 * '--foo' ») is never shown. The options a command knows are listed with an unknown one.
 */
import type { ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

const flagOf = (message: string): string | undefined => /'(-{1,2}[^' <]+)/.exec(message)?.[1];

const known = (options: Options) => Object.entries(options)
  .map(([name, o]) => `--${name}${o.type === 'string' ? ' VALEUR' : ''}`).join(', ');

/** The French explanation of a parseArgs error (without the command name). */
export function frenchParseError(e: unknown, options: Options): string {
  const { code, message } = e as { code?: string; message: string };
  const flag = flagOf(message);
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return Object.keys(options).length === 0
        ? `option inconnue « ${flag} » : cette commande n’a pas d’option`
        : `option inconnue « ${flag} » ; options possibles : ${known(options)}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = flag?.replace(/^-+/, '') ?? '';
      return options[name]?.type === 'boolean'
        ? `l’option « ${flag} » ne prend pas de valeur`
        : `l’option « ${flag} » attend une valeur (${flag} VALEUR)`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `argument inattendu « ${/'([^']*)'/.exec(message)?.[1] ?? ''} »`;
    default:
      return `arguments invalides (${message})`;
  }
}
