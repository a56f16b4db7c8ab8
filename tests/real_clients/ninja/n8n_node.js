// Drives n8n's Invoice Ninja node (n8n-nodes-base, unmodified, installed into ./n8n by
// n8n/install.sh) against a running clientgate: every client operation, filter, include and
// Return All, asserting what the node's execute() returns.
//
// n8n itself is not installed: the node runs under a minimal IExecuteFunctions written here,
// whose helpers.requestWithAuthentication does what n8n's does for this node: apply the
// credential type's own authenticate() to the options, then send the request-library style
// options ({method, uri, qs, body, json: true}) over real HTTP, rejecting a non-2xx answer
// with a StatusCodeError-like error as the request library does.
//
// Usage: node n8n_node.js <base url> <64-character token>; exit 0 when every check passes.
'use strict';

const path = require('path');
const http = require('http');
const modules = path.join(__dirname, 'n8n', 'node_modules');
const { InvoiceNinja } = require(path.join(
  modules, 'n8n-nodes-base/dist/nodes/InvoiceNinja/InvoiceNinja.node.js'));
const { InvoiceNinjaApi } = require(path.join(
  modules, 'n8n-nodes-base/dist/credentials/InvoiceNinjaApi.credentials.js'));

const [baseUrl, apiToken] = process.argv.slice(2);
const credentials = { url: baseUrl, apiToken, secret: '' };
const seen = [];  // every request sent, for checks on the wire

function send(options) {
  const url = new URL(options.uri);
  for (const [k, v] of Object.entries(options.qs || {})) {
    if (v !== undefined) url.searchParams.append(k, String(v));
  }
  const method = options.method || 'GET';
  const hasBody = options.body !== undefined && method !== 'GET' && method !== 'HEAD';
  const payload = hasBody ? Buffer.from(JSON.stringify(options.body)) : null;
  const headers = { ...(options.headers || {}) };
  if (options.json) headers.Accept = headers.Accept || 'application/json';
  if (payload) headers['Content-Length'] = payload.length;
  seen.push({ method, url: url.toString(), headers });
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body = text;
        if (options.json) {
          try { body = JSON.parse(text); } catch (e) { body = text; }
        }
        if (res.statusCode >= 200 && res.statusCode < 300) return resolve(body);
        const error = new Error(`${res.statusCode} - ${JSON.stringify(body)}`);
        error.name = 'StatusCodeError';
        error.statusCode = res.statusCode;
        error.error = body;
        reject(error);
      });
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

// One run of the node's execute() with these parameters (for the single input item 0).
async function execute(parameters, { continueOnFail = false } = {}) {
  const node = { name: 'Invoice Ninja', type: 'n8n-nodes-base.invoiceNinja', typeVersion: 2,
                 parameters };
  const context = {
    getInputData: () => [{ json: {} }],
    getNode: () => node,
    getNodeParameter: (name, _i, fallback) => {
      if (name in parameters) return parameters[name];
      if (fallback !== undefined) return fallback;
      if (['additionalFields', 'options', 'contactsUi', 'shippingAddressUi',
           'billingAddressUi'].includes(name)) return {};
      throw new Error(`no parameter ${name}`);
    },
    getCredentials: async (type) => {
      if (type !== 'invoiceNinjaApi') throw new Error(`credentials ${type}`);
      return credentials;
    },
    continueOnFail: () => continueOnFail,
    helpers: {
      requestWithAuthentication: async function (type, options) {
        const authenticated = await new InvoiceNinjaApi().authenticate(
          await this.getCredentials(type), { ...options });
        return send(authenticated);
      },
      returnJsonArray: (data) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
      constructExecutionMetaData: (items, { itemData }) =>
        items.map((item) => ({ ...item, pairedItem: itemData })),
    },
  };
  const output = await new InvoiceNinja().execute.call(context);
  return output[0].map((item) => item.json);
}

let failures = 0;
function check(ok, what, got) {
  if (!ok) {
    failures++;
    console.error(`FAIL: ${what}${got === undefined ? '' : ' — got ' + JSON.stringify(got)}`);
  }
}
const client = (operation, extra = {}) =>
  ({ apiVersion: 'v5', resource: 'client', operation, ...extra });

async function main() {
  // Create: every field the node offers, contacts, billing and shipping addresses.
  const [created] = await execute(client('create', {
    additionalFields: { clientName: 'n8n Client', idNumber: 'N8N-1', privateNotes: 'from n8n',
                        vatNumber: 'DE123', workPhone: '555-0100', website: 'https://n8n.example' },
    contactsUi: { contacstValues: [
      { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@n8n.example', phone: '555-0101' },
      { firstName: 'Bob', lastName: 'Byte', email: 'bob@n8n.example', phone: '' }] },
    billingAddressUi: { billingAddressValue: { streetAddress: '1 Main St', aptSuite: 'Suite 2',
      city: 'Berlin', state: 'BE', postalCode: '10115', countryCode: '276' } },
    shippingAddressUi: { shippingAddressValue: { streetAddress: '9 Dock Rd', aptSuite: '',
      city: 'Boston', state: 'MA', postalCode: '02101', countryCode: '840' } },
  }));
  check(seen[0].headers['X-API-TOKEN'] === apiToken, 'v5 token header for a 64-character token');
  check(created.name === 'n8n Client' && created.id_number === 'N8N-1' &&
        created.private_notes === 'from n8n' && created.vat_number === 'DE123' &&
        created.website === 'https://n8n.example', 'create: fields', created);
  check(created.address1 === '1 Main St' && created.address2 === 'Suite 2' &&
        created.city === 'Berlin' && created.postal_code === '10115' &&
        created.country_id === '276', 'create: billing address', created);
  check(created.shipping_address1 === '9 Dock Rd' && created.shipping_city === 'Boston' &&
        created.shipping_country_id === '840', 'create: shipping address', created);
  check(Array.isArray(created.contacts) && created.contacts.length === 2 &&
        created.contacts[0].email === 'ada@n8n.example' && created.contacts[0].is_primary === true &&
        created.contacts[1].first_name === 'Bob', 'create: contacts', created.contacts);
  check(typeof created.id === 'string' && created.id.length >= 10, 'create: hashed id', created.id);

  // Get, with the node's one include.
  const [got] = await execute(client('get', { clientId: created.id, options: { include: 'invoices' } }));
  check(got.id === created.id && got.name === 'n8n Client', 'get with include=invoices', got);
  // `invoices` is a relation the real transformer does not render: accepted, not shown.
  check(!('invoices' in got) && Array.isArray(got.contacts), 'get: include=invoices accepted', Object.keys(got));
  const [plain] = await execute(client('get', { clientId: created.id }));
  check(plain.id === created.id, 'get without options');

  // Get Many: a limit, then Return All (which follows meta.pagination.links.next).
  const limited = await execute(client('getAll', { returnAll: false, limit: 3 }));
  check(limited.length === 3 && limited[0].name === 'Acme Corp', 'getAll limit 3',
        limited.map((c) => c.name));
  const all = await execute(client('getAll', { returnAll: true }));
  check(all.length === 110, 'getAll Return All: 110 clients over two pages', all.length);
  check(new Set(all.map((c) => c.id)).size === 110, 'Return All: no client twice');
  check(all.some((c) => c.id === created.id), 'Return All includes the new client');
  check(!all.some((c) => c.name === 'Northwind Client'), 'Return All: only the token company');
  const pages = seen.filter((r) => r.method === 'GET' && r.url.includes('per_page=100'));
  check(pages.length >= 2 && pages[pages.length - 1].url.includes('page=2'),
        'Return All followed links.next', pages.map((r) => r.url));

  // Every option of Get Many: include, status, created/updated at (n8n's zone-less
  // date-time), is_deleted.
  const withInclude = await execute(client('getAll', { returnAll: true, options: { include: 'invoices' } }));
  check(withInclude.length === 110 && !('invoices' in withInclude[0]), 'getAll include=invoices',
        withInclude.length);
  const statuses = { active: 108, archived: 1, deleted: 1 };
  for (const [status, count] of Object.entries(statuses)) {
    const list = await execute(client('getAll', { returnAll: true, options: { status } }));
    check(list.length === count, `getAll status=${status}`, list.length);
  }
  const created2023 = await execute(client('getAll', { returnAll: true,
    options: { createdAt: '2023-06-01T00:00:00' } }));
  check(created2023.length === 106, 'getAll createdAt=2023-06-01T00:00:00', created2023.length);
  const updated2023 = await execute(client('getAll', { returnAll: false, limit: 50,
    options: { updatedAt: '2023-06-01T00:00:00', status: 'active' } }));
  check(updated2023.length === 50, 'getAll updatedAt + status with a limit', updated2023.length);
  const deletedOnly = await execute(client('getAll', { returnAll: true, options: { isDeleted: true } }));
  check(deletedOnly.length === 1 && deletedOnly[0].name === 'Deleted Co', 'getAll isDeleted',
        deletedOnly.map((c) => c.name));

  // Delete: the DELETE method (with the node's `{}` JSON body), answered with the client.
  const [deleted] = await execute(client('delete', { clientId: created.id }));
  check(deleted.id === created.id && deleted.is_deleted === true && deleted.archived_at > 0,
        'delete', deleted);

  // Errors: an unknown client throws the node's NodeApiError with the HTTP code, or becomes
  // an error item under "continue on fail".
  try {
    await execute(client('get', { clientId: 'zzzzzzzzzz' }));
    check(false, 'get unknown id must throw');
  } catch (e) {
    check(e.constructor.name === 'NodeApiError' && String(e.httpCode) === '400', 'get unknown id: NodeApiError 400',
          { name: e.constructor.name, httpCode: e.httpCode, message: e.message });
  }
  const [failed] = await execute(client('get', { clientId: 'zzzzzzzzzz' }), { continueOnFail: true });
  check(typeof failed.error === 'string' && failed.error.length > 0, 'continueOnFail error item', failed);
}

main().then(() => {
  if (failures > 0) {
    console.error(`${failures} check(s) failed`);
    process.exit(1);
  }
  console.log('n8n: all checks passed');
}, (e) => {
  console.error('FAIL: unexpected exception', e && (e.stack || e), e && e.context);
  process.exit(1);
});
