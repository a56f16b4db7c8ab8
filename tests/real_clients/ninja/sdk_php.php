<?php
// Drives Invoice Ninja's official PHP SDK (shared/clients/sdk-php, unmodified) against a
// running clientgate: every client operation the SDK offers, asserting what the SDK returns.
// Usage: php sdk_php.php <sdk-php dir> <base url> <company token> <executive token>
// Exit 0 when every check passes; each failure is printed.

declare(strict_types=1);

[$script, $sdk_dir, $base_url, $token, $exec_token] = $argv;

// Guzzle, PSR-7 and Carbon from Debian's /usr/share/php; the SDK by its composer.json's PSR-4.
require_once 'GuzzleHttp/autoload.php';
require_once 'Carbon/autoload.php';
spl_autoload_register(function (string $class) use ($sdk_dir) {
    $prefix = 'InvoiceNinja\\Sdk\\';
    if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
        return;
    }
    $file = $sdk_dir . '/src/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
    if (is_file($file)) {
        require $file;
    }
});

use InvoiceNinja\Sdk\InvoiceNinja;
use InvoiceNinja\Sdk\Exceptions\ApiException;
use InvoiceNinja\Sdk\Exceptions\ModelValidationException;
use InvoiceNinja\Sdk\Models\Client;

$failures = 0;
function check(bool $ok, string $what, $got = null): void
{
    global $failures;
    if (!$ok) {
        $failures++;
        fwrite(STDERR, "FAIL: $what" . ($got === null ? '' : ' — got ' . json_encode($got)) . "\n");
    }
}
// Runs $call, which must throw the SDK's ApiException; returns [code, message].
function api_error(callable $call): array
{
    try {
        $call();
    } catch (ApiException $e) {
        return [$e->getCode(), $e->getMessage()];
    }
    return [0, 'no exception'];
}
function names(array $list): array
{
    return array_map(fn ($c) => $c['name'], $list['data']);
}

$ninja = new InvoiceNinja($token);
$ninja->setUrl($base_url);

// all(): the default list, its paging meta, and the SDK README's filters.
$all = $ninja->clients->all();
check(is_array($all) && isset($all['data'], $all['meta']['pagination']), 'all() returns data + meta', $all);
check($all['meta']['pagination']['total'] === 4, 'all(): total 4', $all['meta']['pagination']);
check($all['meta']['pagination']['links'] === [], 'all(): links [] on one page');
check(names($all) === ['Acme Corp', 'Beta Industries', 'Archived Co', 'Deleted Co'], 'all(): id order', names($all));
$acme = $all['data'][0];
foreach (['id', 'name', 'display_name', 'number', 'balance', 'contacts', 'documents', 'settings',
          'country_id', 'created_at', 'updated_at', 'archived_at', 'is_deleted'] as $key) {
    check(array_key_exists($key, $acme), "client has `$key`");
}
check($acme['contacts'][0]['email'] === 'jane@acme.example', 'primary contact first', $acme['contacts']);
check($acme['balance'] == 120.5, 'balance is a number', $acme['balance']);

$page2 = $ninja->clients->all(['per_page' => 2, 'page' => 2]);
check(names($page2) === ['Archived Co', 'Deleted Co'], 'per_page=2&page=2', names($page2));
check($page2['meta']['pagination']['current_page'] === 2 && $page2['meta']['pagination']['total_pages'] === 2,
      'page 2 of 2', $page2['meta']['pagination']);
check(isset($page2['meta']['pagination']['links']['previous']), 'page 2 links previous');
check(names($ninja->clients->all(['balance' => 'lt:10'])) === ['Beta Industries', 'Archived Co', 'Deleted Co'],
      'balance=lt:10');
check(names($ninja->clients->all(['balance' => '0:gt'])) === ['Acme Corp', 'Beta Industries'], 'balance=0:gt (value:op)');
check(names($ninja->clients->all(['between_balance' => '5:200'])) === ['Acme Corp', 'Beta Industries'],
      'between_balance=5:200');
check(names($ninja->clients->all(['email' => 'bea@beta.example'])) === ['Beta Industries'], 'email');
check(names($ninja->clients->all(['id_number' => 'ID-B'])) === ['Beta Industries'], 'id_number');
check(names($ninja->clients->all(['number' => '0001'])) === ['Acme Corp'], 'number');
check(names($ninja->clients->all(['filter' => 'jane'])) === ['Acme Corp'], 'filter over contacts');
check(names($ninja->clients->all(['created_at' => strtotime('2022-02-01T00:00:00Z')])) === ['Archived Co', 'Deleted Co'],
      'created_at (Unix seconds)');
check(names($ninja->clients->all(['is_deleted' => 'true'])) === ['Deleted Co'], 'is_deleted=true');
check(names($ninja->clients->all(['status' => 'active'])) === ['Acme Corp', 'Beta Industries'], 'status=active');
$with_docs = $ninja->clients->all(['include' => 'documents,contacts,gateway_tokens', 'per_page' => 1]);
check(count($with_docs['data']) === 1 && is_array($with_docs['data'][0]['documents']), 'include=documents');
check(str_contains($with_docs['meta']['pagination']['links']['next'] ?? '', 'page=2'), 'links next', $with_docs['meta']);

// get(): one client, with an include, and the errors the SDK turns into ApiException.
$one = $ninja->clients->get($acme['id']);
check($one['data'] == $acme, 'get() returns the listed client', $one);
// The transformer's available includes render (empty here); `invoices` is a relation of the
// model the transformer does not render; the item route refuses no include.
$one = $ninja->clients->get($acme['id'], ['include' => 'activities,ledger,invoices']);
check($one['data']['id'] === $acme['id'] && $one['data']['activities'] === [] && $one['data']['ledger'] === []
      && !array_key_exists('invoices', $one['data']), 'get() with include=activities,ledger,invoices', $one);
$one = $ninja->clients->get($acme['id'], ['include' => 'spaceships']);
check($one['data']['id'] === $acme['id'], 'get() ignores an unknown include');
[$code, $message] = api_error(fn () => $ninja->clients->get('zzzzzzzzzz'));
check($code === 400 && str_contains($message, 'No query results for model [App\\Models\\Client].'),
      'get() unknown id: ApiException 400', [$code, $message]);
[$code, $message] = api_error(fn () => $ninja->clients->all(['include' => 'spaceships']));
check($code === 400 && str_contains($message, 'Relation `spaceships` is not a valid include.'),
      'all() bad include: ApiException 400', [$code, $message]);

// create(): form_params with nested contacts, 1/0 booleans; the SDK model's own check first.
$model = new Client();
try {
    $model->save();
    check(false, 'Client model without name must not validate');
} catch (ModelValidationException $e) {
    check($e->getCode() === 422, 'Client model validation code 422');
}
$created = $ninja->clients->create([
    'name' => 'SDK <b>Client</b>',
    'website' => 'https://sdk.example',
    'country_id' => '840',
    'contacts' => [
        ['first_name' => 'Sam', 'last_name' => 'Dee', 'email' => 'sam@sdk.example', 'send_email' => 1],
        ['first_name' => 'Kim', 'email' => 'kim@sdk.example', 'is_primary' => 0],
    ],
], ['include' => 'contacts']);
$c = $created['data'] ?? [];
check(($c['name'] ?? null) === 'SDK Client', 'create(): name with tags stripped', $c['name'] ?? null);
check(($c['number'] ?? null) === '0005', 'create(): next number', $c['number'] ?? null);
check(($c['country_id'] ?? null) === '840', 'create(): country_id', $c['country_id'] ?? null);
check(count($c['contacts'] ?? []) === 2 && $c['contacts'][0]['email'] === 'sam@sdk.example'
      && $c['contacts'][0]['is_primary'] === true && $c['contacts'][0]['send_email'] === true,
      'create(): contacts, first primary', $c['contacts'] ?? null);
check(strlen($c['id'] ?? '') >= 10, 'create(): hashed id', $c['id'] ?? null);
$id = $c['id'];

[$code, $message] = api_error(fn () => $ninja->clients->create(['name' => 'Dup', 'number' => '0001']));
check($code === 422 && str_contains($message, 'The number has already been taken.'), 'create(): duplicate number', [$code, $message]);
[$code, $message] = api_error(fn () => $ninja->clients->create(['contacts' => [['email' => 'not-an-email']]]));
check($code === 422 && str_contains($message, 'must be a valid email address'), 'create(): bad e-mail', [$code, $message]);

// update(): only what is sent; contacts as the whole list.
$updated = $ninja->clients->update($id, [
    'name' => 'SDK Client updated',
    'contacts' => [['id' => $c['contacts'][1]['id'], 'first_name' => 'Kimberly', 'email' => 'kim@sdk.example']],
]);
$u = $updated['data'] ?? [];
check(($u['name'] ?? null) === 'SDK Client updated', 'update(): name', $u['name'] ?? null);
check(($u['website'] ?? null) === 'https://sdk.example', 'update(): website kept', $u['website'] ?? null);
check(count($u['contacts'] ?? []) === 1 && $u['contacts'][0]['first_name'] === 'Kimberly'
      && $u['contacts'][0]['id'] === $c['contacts'][1]['id'] && $u['contacts'][0]['is_primary'] === true,
      'update(): contacts replaced', $u['contacts'] ?? null);

// archive / restore / delete / bulk: form-encoded bulk requests, list responses.
$archived = $ninja->clients->archive([$id]);
check(count($archived['data'] ?? []) === 1 && $archived['data'][0]['archived_at'] > 0
      && $archived['data'][0]['is_deleted'] === false, 'archive()', $archived['data'] ?? null);
$restored = $ninja->clients->restore([$id]);
check(($restored['data'][0]['archived_at'] ?? null) === 0, 'restore()', $restored['data'] ?? null);
$deleted = $ninja->clients->delete([$id]);
check(($deleted['data'][0]['is_deleted'] ?? null) === true, 'delete()', $deleted['data'] ?? null);
$bulk = $ninja->clients->bulk('restore', [$id, $acme['id']]);
check(count($bulk['data'] ?? []) === 2 && $bulk['data'][0]['is_deleted'] === false, 'bulk(restore)', $bulk['data'] ?? null);
[$code, $message] = api_error(fn () => $ninja->clients->bulk('explode', [$id]));
check($code === 422 && str_contains($message, 'The selected action is invalid.'), 'bulk(unknown action)', [$code, $message]);
// download(): the SDK's bulk `download`, which the real clients route does not offer (422).
[$code, $message] = api_error(fn () => $ninja->clients->download([$id]));
check($code === 422 && str_contains($message, 'The selected action is invalid.'), 'download()', [$code, $message]);

// Credentials: an unknown token, and a member that may not write.
$stranger = (new InvoiceNinja('no-such-token'))->setUrl($base_url);
[$code, $message] = api_error(fn () => $stranger->clients->all());
check($code === 403 && str_contains($message, 'Invalid token'), 'unknown token: 403', [$code, $message]);
$exec = (new InvoiceNinja($exec_token))->setUrl($base_url);
check(count($exec->clients->all()['data']) === 5, 'executive reads');
[$code, $message] = api_error(fn () => $exec->clients->create(['name' => 'nope']));
check($code === 401 && str_contains($message, 'This action is unauthorized.'), 'executive create: 401', [$code, $message]);

if ($failures > 0) {
    fwrite(STDERR, "$failures check(s) failed\n");
    exit(1);
}
echo "sdk-php: all checks passed\n";
