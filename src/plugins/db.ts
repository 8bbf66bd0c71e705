/** Decorates the app with the Knex instance; the pool closes with the app. */
import fp from 'fastify-plugin';
import type { Knex } from 'knex';

declare module 'fastify' {
  interface FastifyInstance {
    db: Knex;
  }
}

export const dbPlugin = fp(
  async (app, opts: { db: Knex; destroyOnClose: boolean }) => {
    app.decorate('db', opts.db);
    if (opts.destroyOnClose) app.addHook('onClose', async () => opts.db.destroy());
  },
  { name: 'db' },
);
