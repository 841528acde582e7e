// `npm run contract`: writes docs/openapi.json and docs/stream-frames.schema.json from protocol/.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateContract } from './contract';

const root = process.cwd();
for (const [file, content] of Object.entries(generateContract())) {
  writeFileSync(path.join(root, file), content);
  console.log(`wrote ${file}`);
}
