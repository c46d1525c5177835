import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

// A real OpenID provider (the `oidc-provider` package) on a port of its own, for the hub's sign-in tests:
// one confidential client (the hub) and a few people with a `roles` claim. Its login page is the
// package's own (devInteractions: the login name picks the account, the password is not checked).

export interface TestPerson {
  name: string;
  roles?: string[];
}

export async function startTestProvider(opts: {
  redirectUri: string;
  people: Record<string, TestPerson>;
  clientSecret: string;
  /** Serve https with this key and certificate (for "localhost"). */
  tls?: { key: string; cert: string };
}) {
  const server: Server = opts.tls ? createHttpsServer(opts.tls) : createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve)); // every address: "localhost" is another site than 127.0.0.1
  const issuer = `${opts.tls ? 'https' : 'http'}://localhost:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'reception-hub',
        client_secret: opts.clientSecret,
        redirect_uris: [opts.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], profile: ['preferred_username', 'name', 'roles'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['test-provider-cookie-key'] },
    async findAccount(_ctx, id) {
      const person = opts.people[id];
      if (!person) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, preferred_username: id, name: person.name, ...(person.roles ? { roles: person.roles } : {}) };
        },
      };
    },
  });
  provider.on('server_error', (_ctx, err) => console.error('test provider:', err));
  server.on('request', provider.callback());
  return {
    issuer,
    provider,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
