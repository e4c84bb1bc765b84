/**
 * The extractor's readers on small Python snippets written for these tests (not vLLM's code):
 * each snippet has the shape of the construct the reader handles in vLLM's sources.
 */
import t from 'tap';
import { classFields, indexModule, type PyModuleIndex } from '../../tools/vllm-options/python-classes.js';
import { readChoices, specFromAnnotation, valueType } from '../../tools/vllm-options/python-kwargs.js';
import { matchBracket, parseLiteralList, parseStringLiteral, splitTopLevel } from '../../tools/vllm-options/python-text.js';
import { envType, readEnvs } from '../../tools/vllm-options/read-envs.js';
import { readHumanInts, readRelease } from '../../tools/vllm-options/read-release.js';

t.test('Python text helpers', async (t) => {
  const src = 'f("a)", [1, (2)], \'\'\'x(\'\'\', # )\n)';
  t.equal(matchBracket(src, 1), src.length - 1, 'brackets inside strings and comments do not count');
  t.same(splitTopLevel('a, f(b, c), "d,e"  # x, y'), ['a', 'f(b, c)', '"d,e"']);
  t.equal(parseStringLiteral('("a" \'b\'\n "c")'), 'abc', 'implicit concatenation');
  t.equal(parseStringLiteral('r"\\d"'), '\\d');
  t.equal(parseStringLiteral('f"--{key}" + x'), null, 'not a literal');
  t.same(parseLiteralList('["auto", 8, None]'), ['auto', '8', 'None']);
  t.equal(parseLiteralList('[x for x in y]'), null);
});

const CONFIG = `
from typing import Literal, Optional
Mode = Literal["fast", "slow"]
LIST_CONST = ["a", "b"]

class Kind(str, enum.Enum):
    ONE = "one"
    TWO = "two"

@config
@dataclass
class Inner:
    x: int = 1

@config
@dataclass
class Base:
    flag: bool = False
    """Docstring with a colon: not a field."""
    mode: Mode = "fast"
    either: Literal["a", "b"] | str = "a"
    sizes: list[int] = field(default_factory=list)
    pair: tuple[int, int] = (1, 2)
    max_len: int = None
    ratio: float = 0.9
    extra: dict[str, int] | None = None
    text_or_json: dict[str, str] | str = ""
    inner: Inner = field(default_factory=Inner)
    name: Optional[str] = None
    odd: SomethingImported = None
    kind: Kind = Kind.ONE
    block: Literal[8, 16] = 16

    def method(self, y: int = 2):
        z: int = 3

@config
@dataclass
class Child(Base):
    child_only: int = 0
`;

function index(): PyModuleIndex {
  const idx: PyModuleIndex = { classes: new Map(), aliases: new Map() };
  indexModule('config.py', CONFIG, idx);
  return idx;
}

t.test('classes, fields, enums and aliases', async (t) => {
  const idx = index();
  t.same(classFields(idx, 'Child').map((f) => f.name), [
    'flag', 'mode', 'either', 'sizes', 'pair', 'max_len', 'ratio', 'extra', 'text_or_json', 'inner', 'name', 'odd', 'kind', 'block', 'child_only',
  ]);
  t.same(idx.classes.get('Kind')?.enumValues, ['one', 'two']);
  t.ok(idx.classes.get('Inner')?.isDataclass);
  t.equal(idx.aliases.get('Mode'), 'Literal["fast", "slow"]');
});

t.test('annotations become argparse specs as get_kwargs builds them', async (t) => {
  const idx = index();
  const human = new Map([['max_len', 'human-int-or-auto' as const]]);
  const spec = (field: string) => {
    const f = classFields(idx, 'Child').find((x) => x.name === field);
    const { file: _file, ...rest } = specFromAnnotation(field, f?.annotation ?? '', idx, human, 'config.py');
    void _file;
    return rest;
  };
  t.same(spec('flag'), { action: 'bool-optional' }, 'bool → BooleanOptionalAction');
  t.same(spec('mode'), { action: 'store', value: 'str', choices: ['fast', 'slow'] }, 'Literal alias → choices');
  t.same(spec('either'), { action: 'store', value: 'str' }, 'Literal | str → no choices (metavar)');
  t.same(spec('sizes'), { action: 'store', nargs: '+', value: 'int' }, 'list[int] → nargs +');
  t.same(spec('pair'), { action: 'store', nargs: 2, value: 'int' }, 'tuple of two → nargs 2');
  t.same(spec('max_len'), { action: 'store', value: 'human-int-or-auto' }, 'the names get_kwargs lists');
  t.same(spec('ratio'), { action: 'store', value: 'float' });
  t.same(spec('extra'), { action: 'store', value: 'json-or-kvs', acceptsNone: true }, 'dict → parse_type(json.loads), optional (plain json where the release has no nullable_kvs fallback)');
  t.same(spec('text_or_json'), { action: 'store', value: 'json-or-str' }, 'dict | str → union_dict_and_str');
  t.same(spec('inner'), { action: 'store', value: 'json' }, 'a config dataclass → JSON');
  t.same(spec('name'), { action: 'store', value: 'str', acceptsNone: true });
  t.same(spec('odd'), { action: 'store', value: 'unknown' }, 'what cannot be read is unknown');
  t.same(spec('kind'), { action: 'store', value: 'unknown' }, 'an enum is str in vLLM; any text passes either way');
  t.same(spec('block'), { action: 'store', value: 'int', choices: ['16', '8'] }, 'int Literal → int with choices');
});

t.test('explicit add_argument keywords', async (t) => {
  const idx = index();
  t.same(valueType('optional_type(json.loads)'), { value: 'json-or-kvs', acceptsNone: true });
  t.same(valueType('json.loads'), { value: 'json', acceptsNone: false }, 'json.loads alone never falls back to nullable_kvs');
  t.same(valueType('nullable_str'), { value: 'str', acceptsNone: true });
  t.same(valueType('CompilationConfig.from_cli'), { value: 'json', acceptsNone: false });
  t.same(valueType('some_function'), { value: 'unknown', acceptsNone: false });
  t.same(readChoices('LIST_CONST', idx), ['a', 'b']);
  t.same(readChoices('[*LIST_CONST, None]', idx), ['a', 'b', 'None']);
  t.same(readChoices('[k.value for k in Kind]', idx), ['one', 'two']);
  t.same(readChoices('get_args(Mode)', idx), ['fast', 'slow']);
  t.match(readChoices('list(REGISTRY.keys())', idx), /does not evaluate/);
});

const ARG_UTILS = `
def _compute_kwargs(cls):
    for field in fields(cls):
        if contains_type(type_hints, bool):
            pass
        elif contains_type(type_hints, int):
            if name == "max_len":
                kwargs[name]["type"] = human_readable_int_or_auto
            elif name in ("batch",):
                kwargs[name]["type"] = human_readable_int
            else:
                kwargs[name]["type"] = int
        elif contains_type(type_hints, float):
            pass

class EngineArgs:
    @staticmethod
    def add_cli_args(parser):
        base_kwargs = get_kwargs(Base)
        base_kwargs["ratio"]["type"] = str
        group = parser.add_argument_group("Base")
        group.add_argument("--max-len", **base_kwargs["max_len"])
        group.add_argument("--flag", "-f", **base_kwargs["flag"])
        group.add_argument("--ratio", **{**base_kwargs["ratio"], "default": None})
        parser.add_argument("--old", action="store_true", help="This argument is deprecated. Please use --flag instead.")
        parser.add_argument("--mode2", type=str, choices=["x", "y"], deprecated=True)
        parser.add_argument("--names", type=nullable_str, nargs="+")
        return parser
`;

const CLI_ARGS = `
@config
@dataclass
class FrontendArgs:
    port: int = 8000
    api_key: list[str] | None = None

    @classmethod
    def add_cli_args(cls, parser):
        frontend_kwargs = get_kwargs(cls)
        frontend_kwargs["api_key"]["flags"] = ["-k"]
        for key, value in frontend_kwargs.items():
            extra_flags = value.pop("flags", [])
            group.add_argument(*extra_flags, f"--{key.replace('_', '-')}", **value)
        return parser

def make_arg_parser(parser):
    parser.add_argument("model_tag", type=str, nargs="?")
    parser = FrontendArgs.add_cli_args(parser)
    return parser
`;

const SERVE = `
def subparser_init(self, subparsers):
    serve_parser = subparsers.add_parser("serve")
    serve_parser.add_argument("--config", type=str)
    other_parser.add_argument("--not-serve", type=str)
`;

t.test('one release read end to end', async (t) => {
  t.same([...readHumanInts(ARG_UTILS)], [['max_len', 'human-int-or-auto'], ['batch', 'human-int']]);
  const options = readRelease({
    argUtils: { path: 'vllm/engine/arg_utils.py', text: ARG_UTILS },
    cliArgs: { path: 'vllm/entrypoints/openai/cli_args.py', text: CLI_ARGS },
    serve: { path: 'vllm/entrypoints/cli/serve.py', text: SERVE },
    typeModules: [{ path: 'vllm/config.py', text: CONFIG }],
  });
  const brief = (name: string) => {
    const s = options.get(name);
    return s && { ...s, file: undefined, field: undefined };
  };
  t.same([...options.keys()].sort(), ['--api-key', '--config', '--flag', '--max-len', '--mode2', '--names', '--old', '--port', '--ratio']);
  t.match(brief('--max-len'), { action: 'store', value: 'human-int-or-auto' });
  t.match(brief('--flag'), { action: 'bool-optional', aliases: ['-f'] });
  t.match(brief('--ratio'), { action: 'store', value: 'str' }, 'a later type override wins');
  t.match(brief('--old'), { action: 'store_true', deprecated: true, replacement: '--flag' });
  t.match(brief('--mode2'), { choices: ['x', 'y'], deprecated: true });
  t.match(brief('--names'), { nargs: '+', value: 'str', acceptsNone: true });
  t.match(brief('--api-key'), { nargs: '+', aliases: ['-k'], acceptsNone: true });
  t.match(brief('--port'), { value: 'int' });
  t.equal(options.get('--port')?.field, 'FrontendArgs.port');
  t.notOk(options.has('--not-serve'), 'only the serve parser counts in the serve file');
});

t.test('env variables and their types', async (t) => {
  const src = `
environment_variables: dict[str, Callable[[], Any]] = {
    # comment
    "VLLM_A": lambda: bool(int(os.getenv("VLLM_A", "0"))),
    "VLLM_B": lambda: int(os.getenv("VLLM_B", "1")),
    "VLLM_C": lambda: float(os.getenv("VLLM_C", "0.5")),
    "VLLM_D": lambda: os.getenv("VLLM_D", "x"),
    "VLLM_E": env_with_choices("VLLM_E", "a", ["a", "b"]),
    "VLLM_F": lambda: os.environ.get("VLLM_F", "").lower() in ("1", "true"),
    "VLLM_G": some_helper,
}
`;
  const envs = readEnvs(src);
  t.same(Object.fromEntries(envs), {
    VLLM_A: { type: 'bool' },
    VLLM_B: { type: 'int' },
    VLLM_C: { type: 'float' },
    VLLM_D: { type: 'str' },
    VLLM_E: { type: 'str', choices: ['a', 'b'] },
    VLLM_F: { type: 'bool' },
    VLLM_G: { type: 'unknown' },
  });
  t.same(envType('get_vllm_port'), { type: 'int' });
  t.same(readEnvs('no dict here'), new Map());
});

t.test('parse_type(json.loads) reads key=value text only in releases whose parse_type falls back to nullable_kvs (v0.8.5–v0.9.2)', async (t) => {
  const release = (fallback: boolean) =>
    readRelease({
      argUtils: {
        path: 'vllm/engine/arg_utils.py',
        text:
          (fallback ? 'def parse_type(return_type):\n    def _parse_type(val):\n        if return_type is json.loads and not re.match("^{.*}$", val):\n            return nullable_kvs(val)\n' : '') +
          'class EngineArgs:\n    @staticmethod\n    def add_cli_args(parser):\n        parser.add_argument("--limit", type=parse_type(json.loads))\n        parser.add_argument("--spec", type=json.loads)\n        return parser\n',
      },
      cliArgs: null,
      serve: null,
      typeModules: [],
    });
  const with_ = release(true);
  t.equal(with_.get('--limit')?.value, 'json-or-kvs');
  t.equal(with_.get('--spec')?.value, 'json', 'an explicit type=json.loads is not parse_type');
  t.equal(release(false).get('--limit')?.value, 'json', 'v0.10.0 removed the fallback');
});
