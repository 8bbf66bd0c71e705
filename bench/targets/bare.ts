/** Target A, the HTTP ceiling: a bare Fastify route returning a small JSON. */
import Fastify from 'fastify';
import { reportReady, tieToParent } from './child.js';

const app = Fastify({ logger: false });
app.get('/ping', async () => ({ ok: true, resourceType: 'Basic' }));
tieToParent(() => app.close());
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
const address = app.server.address();
reportReady(typeof address === 'object' && address ? address.port : 0);
