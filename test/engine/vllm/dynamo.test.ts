import t from 'tap';
import { DYNAMO_FLAGS, runsDynamoWorker } from '../../../src/engine/vllm/dynamo.js';
import { classifyContainer } from '../../../src/engine/vllm/detect.js';
import { compileDetection, DEFAULT_VLLM_IMAGES } from '../../../src/engine/vllm/detection-config.js';
import type { Token } from '../../../src/engine/types.js';

const words = (s: string): Token[] => s.split(' ').filter(Boolean).map((text) => ({ text }));
const detection = compileDetection({ images: DEFAULT_VLLM_IMAGES, entrypoints: [], labels: {}, allPods: false });

t.test("Dynamo's vLLM worker is told by its module, with interpreter options and a path to python", async (t) => {
  t.ok(runsDynamoWorker(words('python3 -m dynamo.vllm --model m')));
  t.ok(runsDynamoWorker(words('/usr/bin/python3.12 -u -m dynamo.vllm')));
  t.ok(runsDynamoWorker(words('python -mdynamo.vllm --model m')));
  t.notOk(runsDynamoWorker(words('python3 -m dynamo.frontend --http-port 8000')), 'the frontend serves HTTP, it is not vLLM');
  t.notOk(runsDynamoWorker(words('python3 -m vllm.entrypoints.openai.api_server --model m')));
  t.notOk(runsDynamoWorker(words('python3 /opt/dynamo/vllm.py')));
  t.notOk(runsDynamoWorker(null));
});

t.test('a container running dynamo.vllm (also inside sh -c) is a vLLM server by its argv; dynamo.frontend is not', async (t) => {
  const image = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.2.0';
  const worker = classifyContainer({ image, command: ['/bin/sh', '-c'], args: ['ulimit -l unlimited\nexport TP=2\npython3 -m dynamo.vllm --model /models/m --tensor-parallel-size $TP'] }, detection);
  t.match(worker, { role: 'server', detectedBy: 'argv', argvKnown: true });
  t.equal(worker.command?.[2]?.text, 'dynamo.vllm');
  const frontend = classifyContainer({ image, command: ['python3', '-m', 'dynamo.frontend'], args: ['--http-port', '8000'] }, detection);
  t.equal(frontend.role, null);
});

t.test("Dynamo's own flags are data: booleans take no value, the rest one", async (t) => {
  t.equal(DYNAMO_FLAGS['is-prefill-worker'], true);
  t.equal(DYNAMO_FLAGS['disaggregation-mode'], false);
  t.notOk(Object.hasOwn(DYNAMO_FLAGS, 'tensor-parallel-size'), "vLLM's engine arguments are vLLM's");
});
