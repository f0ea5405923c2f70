import { Argument, type Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof COMPLETION_SHELLS)[number];

/** `ferry completion bash|zsh|fish`: a completion script made from the command definitions. */
export function registerCompletionCommand(program: Command, ctx: CommandContext): void {
  program
    .command('completion')
    .description('print a shell completion script: source <(ferry completion bash), ferry completion fish > ~/.config/fish/completions/ferry.fish')
    .addArgument(new Argument('<shell>', 'your shell').choices(COMPLETION_SHELLS))
    .action((shell: Shell) => {
      ctx.io.stdout(completionScript(program, shell));
      ctx.setExit(ExitCode.Success);
    });
}

interface Node {
  path: string[];
  subcommands: string[];
  options: string[];
}

/** Every command path with its subcommands and long/short flags. */
export function commandTree(program: Command): Node[] {
  const nodes: Node[] = [];
  const walk = (command: Command, path: string[]) => {
    const visible = command.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
    nodes.push({
      path,
      subcommands: visible.map((c) => c.name()),
      options: [...command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f))), '--help'],
    });
    for (const child of visible) walk(child, [...path, child.name()]);
  };
  walk(program, []);
  return nodes;
}

export function completionScript(program: Command, shell: Shell): string {
  const nodes = commandTree(program);
  if (shell === 'bash' || shell === 'zsh') return bashScript(nodes, shell);
  return fishScript(nodes);
}

function bashScript(nodes: Node[], shell: 'bash' | 'zsh'): string {
  const cases = nodes.map((node) => `    "${node.path.join(' ')}") echo "${[...node.subcommands, ...node.options].join(' ')}" ;;`).join('\n');
  const prelude = shell === 'zsh' ? '#compdef ferry\nautoload -U +X bashcompinit && bashcompinit\n' : '';
  // The words typed so far that are not flags name the command; a flag's value may follow a
  // flag, so when the path is unknown the last word is dropped until it is known.
  return `${prelude}# ferry completion for ${shell}: source <(ferry completion ${shell})
_ferry_words() {
  case "$1" in
${cases}
    *) return 1 ;;
  esac
}
_ferry_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" i words=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) path="\${path:+$path }\${COMP_WORDS[i]}" ;; esac
  done
  while :; do
    words="$(_ferry_words "$path")" && break
    [ -z "$path" ] && break
    case "$path" in *" "*) path="\${path% *}" ;; *) path="" ;; esac
  done
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _ferry_complete ferry
`;
}

function fishScript(nodes: Node[]): string {
  const lines = ['# ferry completion for fish: ferry completion fish > ~/.config/fish/completions/ferry.fish', 'complete -c ferry -f'];
  for (const node of nodes) {
    const condition = node.path.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${node.path.at(-1)}`;
    for (const sub of node.subcommands) lines.push(`complete -c ferry -n '${condition}' -a ${sub}`);
    for (const option of node.options.filter((o) => o.startsWith('--'))) lines.push(`complete -c ferry -n '${condition}' -l ${option.slice(2)}`);
  }
  return `${lines.join('\n')}\n`;
}
