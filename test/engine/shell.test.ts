import t from 'tap';
import { splitShellCommands } from '../../src/engine/command/shell.js';
import type { Token } from '../../src/engine/types.js';
import { HANG_CEILING_MS } from '../hang-ceiling.js';

const ENV: Record<string, Token> = {
  MODEL: { text: 'mistralai/Mistral-7B-Instruct-v0.3' },
  ARGS: { text: ' --a 1  --b ' },
  EMPTY: { text: '' },
  TOKEN: { text: '', unknown: 'TOKEN comes from secretKeyRef' },
};
const lookup = (name: string): Token | undefined => ENV[name];
const KSERVE_POSITIONAL: Token[] = [{ text: 'bash' }, { text: '--foo' }, { text: 'x y' }];

/** Unknown tokens render as `?text` so one table shows both kinds. */
function render(commands: Token[][]): string[][] {
  return commands.map((c) => c.map((tok) => (tok.unknown ? `?${tok.text}` : tok.text)));
}

interface Case {
  name: string;
  input: string;
  positional?: Token[];
  want: string[][];
}

const cases: Case[] = [
  { name: 'empty script', input: '', want: [] },
  { name: 'only blanks and comments', input: '  # nothing\n\t\n', want: [] },
  {
    name: 'VK8S sh -c vllm serve',
    input: 'vllm serve mistralai/Mistral-7B-Instruct-v0.3 --trust-remote-code --max_num_batched_tokens 1024',
    want: [['vllm', 'serve', 'mistralai/Mistral-7B-Instruct-v0.3', '--trust-remote-code', '--max_num_batched_tokens', '1024']],
  },
  {
    name: 'KServe bash -c with ${MODEL} and $@',
    input: 'export X=1; exec vllm serve ${MODEL} --port 8080 $@',
    positional: KSERVE_POSITIONAL,
    want: [['export', 'X=1'], ['vllm', 'serve', 'mistralai/Mistral-7B-Instruct-v0.3', '--port', '8080', '--foo', 'x', 'y']],
  },
  { name: '"$@" keeps each argument whole', input: 'vllm serve "$@"', positional: KSERVE_POSITIONAL, want: [['vllm', 'serve', '--foo', 'x y']] },
  { name: '"$@" without arguments is no word', input: 'vllm serve "$@"', positional: [{ text: 'sh' }], want: [['vllm', 'serve']] },
  { name: '"$*" joins with a space', input: 'echo "$*"', positional: KSERVE_POSITIONAL, want: [['echo', '--foo x y']] },
  { name: '$* splits like $@', input: 'echo $*', positional: KSERVE_POSITIONAL, want: [['echo', '--foo', 'x', 'y']] },
  { name: '$0 $1 $2 $# and a missing $3', input: 'echo $0 $1 "$2" $# x$3', positional: KSERVE_POSITIONAL, want: [['echo', 'bash', '--foo', 'x y', '2', 'x']] },
  { name: '$0 without positional is unknown', input: 'echo $0', positional: [], want: [['echo', '?$0']] },
  { name: 'unquoted expansion splits, quoted does not', input: 'vllm serve m $ARGS "$ARGS"', want: [['vllm', 'serve', 'm', '--a', '1', '--b', ' --a 1  --b ']] },
  { name: 'empty expansion vanishes unless quoted', input: 'echo $EMPTY "" "$EMPTY" a$EMPTY', want: [['echo', '', '', 'a']] },
  {
    name: 'LWS ray start --head && vllm serve',
    input: 'ray start --head --port=6379 && vllm serve a \\\n --tensor-parallel-size 8 --pipeline_parallel_size 2 2>&1 | tee log',
    want: [['ray', 'start', '--head', '--port=6379'], ['vllm', 'serve', 'a', '--tensor-parallel-size', '8', '--pipeline_parallel_size', '2'], ['tee', 'log']],
  },
  { name: 'operators ; || | |& & ;;', input: 'a;b||c|d|&e&f', want: [['a'], ['b'], ['c'], ['d'], ['e'], ['f']] },
  {
    name: 'if/then/else/fi: every branch',
    input: 'if [ -z "$X" ]; then\n  vllm serve a\nelif true; then vllm serve c\nelse\n  vllm serve b &\nfi',
    want: [['[', '-z', '?$X', ']'], ['vllm', 'serve', 'a'], ['true'], ['vllm', 'serve', 'c'], ['vllm', 'serve', 'b']],
  },
  {
    name: 'loops and case arms',
    input: 'for i in 1 2; do echo $i; done; while true; do vllm serve w; done\ncase $x in a) vllm serve c;; *) exit 1;; esac',
    want: [['echo', '?$i'], ['true'], ['vllm', 'serve', 'w'], ['vllm', 'serve', 'c'], ['exit', '1']],
  },
  { name: 'functions, groups and subshells', input: 'f() { vllm serve fn; }; { vllm serve brace; }; (vllm serve sub)', want: [['f'], ['vllm', 'serve', 'fn'], ['vllm', 'serve', 'brace'], ['vllm', 'serve', 'sub']] },
  { name: 'function keyword', input: 'function f { vllm serve k; }', want: [['vllm', 'serve', 'k']] },
  { name: '! negation', input: '! vllm serve n', want: [['vllm', 'serve', 'n']] },
  {
    name: 'prefixes: X=y, nohup, env with options, time -p, exec -a',
    input: 'FOO=1 nohup env -i -u Z A=b time -p exec -a name vllm serve b',
    want: [['vllm', 'serve', 'b']],
  },
  { name: 'quoted assignment is still a prefix', input: 'X="a b" vllm serve q', want: [['vllm', 'serve', 'q']] },
  { name: 'a quoted X=y is a word, not an assignment', input: '"X=y" vllm', want: [['X=y', 'vllm']] },
  { name: 'assignments feed later expansions', input: 'A=hello; B=${A}-x; export C=$B; echo $B $C', want: [['export', 'C=hello-x'], ['echo', 'hello-x', 'hello-x']] },
  {
    name: 'quotes and escapes',
    input: "echo $'a\\tb\\x' \\$HOME 'single $X' \"dq \\\"$MODEL\\\" \\q \\$\" a\\ b $\"loc\"",
    want: [['echo', 'a\tb\\x', '$HOME', 'single $X', 'dq "mistralai/Mistral-7B-Instruct-v0.3" \\q $', 'a b', 'loc']],
  },
  { name: 'line continuation inside double quotes', input: 'echo "a\\\nb"', want: [['echo', 'ab']] },
  { name: 'trailing backslash', input: 'echo a\\', want: [['echo', 'a\\']] },
  { name: 'lone $ and $ before a quote inside double quotes', input: 'echo $ "a$" "$"x', want: [['echo', '$', 'a$', '$x']] },
  {
    name: 'command substitution and arithmetic are unknown',
    input: 'echo $(date "+)") `id \\`x\\`` $((1+2))',
    want: [['echo', '?$(date "+)")', '?`id \\`x\\``', '?$((1+2))']],
  },
  { name: 'secret-backed $TOKEN and ${TOKEN}', input: 'vllm serve m --api-key $TOKEN --hf-token=${TOKEN}', want: [['vllm', 'serve', 'm', '--api-key', '?$TOKEN', '?--hf-token=$TOKEN']] },
  {
    name: 'parameter operators',
    input: 'echo ${NOPE:-dflt} ${NOPE-d2} ${EMPTY:-e} ${EMPTY-kept} ${MODEL:+yes} ${NOPE:+no} ${#MODEL} ${NEW:=v} $NEW ${1:-p}',
    positional: [{ text: 'sh' }],
    want: [['echo', 'dflt', 'd2', 'e', 'yes', '34', 'v', 'v', 'p']],
  },
  { name: 'nested default words', input: 'echo ${NOPE:-${MODEL}} ${NOPE:-"a b"}', want: [['echo', 'mistralai/Mistral-7B-Instruct-v0.3', 'a b']] },
  {
    name: 'unsupported and failing expansions are unknown',
    input: 'echo ${X%%y} ${#X:-1} ${TOKEN:-d} ${NOPE:?gone} ${#TOKEN} $? ${@:-x}',
    want: [['echo', '?${X%%y}', '?${#X:-1}', '?${TOKEN:-…}', '?${NOPE}', '?$TOKEN', '?$?', '?${@:-…}']],
  },
  { name: 'unterminated ${', input: 'echo ${MODEL', want: [['echo', '?${MODEL']] },
  { name: 'unterminated quote runs to the end', input: "echo 'abc", want: [['echo', 'abc']] },
  { name: 'redirections drop their targets', input: 'vllm serve r > /tmp/log 2>&1 < /dev/null &>> all >| f <> g', want: [['vllm', 'serve', 'r']] },
  { name: 'io number only when all digits', input: 'echo a2>f', want: [['echo', 'a2']] },
  { name: 'here-string', input: 'cat <<< hello; echo done', want: [['cat'], ['echo', 'done']] },
  { name: 'here-document bodies are skipped', input: "cat <<'EOF' > /tmp/f\nvllm serve nope\nEOF\nvllm serve yes # comment", want: [['cat'], ['vllm', 'serve', 'yes']] },
  { name: '<<- strips tabs before the delimiter', input: 'cat <<-END\n\tvllm serve nope\n\tEND\necho after', want: [['cat'], ['echo', 'after']] },
  { name: 'unterminated here-document', input: 'cat <<EOF\nvllm serve nope', want: [['cat']] },
  { name: 'process substitution is unknown', input: 'diff <(a) >(b)', want: [['diff', '?<(a)', '?>(b)']] },
  { name: 'Windows line endings', input: 'echo a\r\nvllm serve w\r\n', want: [['echo', 'a'], ['vllm', 'serve', 'w']] },
  { name: '# inside a word is not a comment', input: 'echo a#b', want: [['echo', 'a#b']] },
  { name: 'other blanks are word characters', input: 'echo a\fb', want: [['echo', 'a\fb']] },
  { name: 'backticks inside double quotes', input: 'echo "a`id`"', want: [['echo', '?a`id`']] },
  { name: 'escapes and quotes inside $( )', input: String.raw`echo $(echo \) ")" '(') x`, want: [['echo', String.raw`?$(echo \) ")" '(')`, 'x']] },
  { name: 'unterminated quote inside $( )', input: 'echo $(echo ")', want: [['echo', '?$(echo ")']] },
  { name: 'quotes and escapes inside ${ }', input: "echo ${NOPE:-'a}b'} ${NOPE:-\\}}", want: [['echo', 'a}b', '}']] },
  { name: "unterminated ' inside ${ }", input: "echo ${NOPE:-'ab", want: [['echo', "?${NOPE:-'ab"]] },
  { name: '$ at the very end', input: 'echo a$', want: [['echo', 'a$']] },
  { name: ';;& and ;& case terminators', input: 'case x in a) b;;& c) d;& e) f;; esac; g', want: [['b'], ['d'], ['f'], ['g']] },
  { name: 'unknown assignment values stay unknown', input: 'X=$(cmd); vllm serve $X; Y=$TOKEN vllm serve y', want: [['vllm', 'serve', '?$X'], ['vllm', 'serve', 'y']] },
];

t.test('splitShellCommands', async (t) => {
  for (const c of cases) {
    t.same(render(splitShellCommands(c.input, lookup, c.positional ?? [{ text: 'sh' }])), c.want, c.name);
  }
});

t.test('unknown words say why', async (t) => {
  const [cmd] = splitShellCommands('vllm serve $NOPE $(X) $TOKEN', lookup, [{ text: 'sh' }]);
  t.same(cmd?.slice(2), [
    { text: '$NOPE', unknown: '$NOPE has no literal value in the container env' },
    { text: '$(X)', unknown: 'command substitution' },
    { text: '$TOKEN', unknown: 'TOKEN comes from secretKeyRef' },
  ]);
  const kubelet = (name: string): Token | undefined => (name === 'LWS_GROUP_SIZE' ? { text: '', unknown: 'set by LeaderWorkerSet' } : undefined);
  const [lws] = splitShellCommands('leader --size=$(LWS_GROUP_SIZE)', kubelet, [{ text: 'sh' }]);
  t.same(lws?.[1], { text: '--size=$(LWS_GROUP_SIZE)', unknown: 'set by LeaderWorkerSet' }, 'a leftover $(VAR) names the env reason');
});

t.test('long unknown text is clipped', async (t) => {
  const [cmd] = splitShellCommands(`echo $(${'x'.repeat(1000)})`, lookup, []);
  t.ok((cmd?.[1]?.text.length ?? 0) < 300);
});

t.test('deeply nested defaults stop at a bound', async (t) => {
  const script = `echo ${'${N:-'.repeat(12)}x${'}'.repeat(12)}`;
  const [cmd] = splitShellCommands(script, lookup, []);
  t.equal(cmd?.[1]?.unknown, 'parameter expansion nested too deeply');
});

t.test('stays linear on large and hostile input', async (t) => {
  const inputs = [
    `vllm serve m ${'--x 1 '.repeat(170_000)}`,
    '$('.repeat(300_000),
    '${'.repeat(300_000),
    '${A:-'.repeat(100_000),
    `${'${A:-'.repeat(50_000)}${'}'.repeat(50_000)}`,
    '"'.repeat(500_001),
    `echo '${'x'.repeat(1_000_000)}`,
    '<<E\n'.repeat(100_000),
  ];
  for (const input of inputs) {
    const start = performance.now();
    splitShellCommands(input, lookup, []);
    t.ok(performance.now() - start < HANG_CEILING_MS, `${input.slice(0, 12)}… (${input.length} chars) does not hang`);
  }
});
