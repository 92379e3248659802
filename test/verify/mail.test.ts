import { createMessage, generateKey, readPrivateKey, readSignature, sign, type PrivateKey } from 'openpgp';
import { describe, expect, it } from 'vitest';
import { loadKeyring, readArmoredKeys, verifyMail, type Keyring } from '../../src/verify/index.js';
import { corpus, corpusPath } from '../helpers/corpus.js';

// Signatures in mail (issue 5): inline clearsigned, PGP/MIME over the exact canonicalised part,
// and the forwarded DSA whose inner Debian signature vouches for the advisory text.

const OPENSSL_MAIL = 'mail/oss-security/2024-04-08-openssl-security-advisory.eml';
const TAMPERED = 'mail/tampered/2024-04-08-openssl-security-advisory.tampered.eml';
const FORWARDED_DSA = 'mail/oss-security/2017-01-30-fw-dsa-3775-1-tcpdump.eml';
const OPENSSL_KEYS = corpusPath('keys/openssl/openssl-release-signing-keys.debian-openssl-1.1.1w.asc');
const DEBIAN_KEY = corpusPath('keys/debian/jmm-B6E62F3D12AC38495C0DA90510C293B6C37C4E36.asc');
const UNRELATED_KEY = corpusPath('csaf/gocsaf-simple-rolie-provider/openpgp/pubkey.asc');

/** The issuer fingerprint as the armoured signature states it (subpacket 33), read with openpgp independently. */
async function issuerOf(armoredMail: string, nth = 0): Promise<string> {
  const blocks = [...armoredMail.matchAll(/-----BEGIN PGP SIGNATURE-----[\s\S]*?-----END PGP SIGNATURE-----/g)].map((m) => m[0].replace(/=3D/g, '='));
  const sig = await readSignature({ armoredSignature: blocks[nth]! });
  return Buffer.from(sig.packets[0]!.issuerFingerprint!).toString('hex').toUpperCase();
}

describe('inline clearsigned mail (OpenSSL advisory to oss-security)', () => {
  it('verifies with the OpenSSL keys and reports who signed: the key holding the signing subkey, and its user ID', async () => {
    const keyring = await loadKeyring([OPENSSL_KEYS]);
    const result = await verifyMail(corpus(OPENSSL_MAIL), keyring);
    const issuer = await issuerOf(corpus(OPENSSL_MAIL).toString('latin1'));
    const holder = keyring.keys.find((k) => k.key.getKeys().some((sub) => sub.getFingerprint().toUpperCase() === issuer))!;
    expect(holder).toBeDefined();
    expect(result.verification).toMatchObject({ status: 'verified', method: 'cleartext', fingerprint: holder.fingerprint });
    expect(result.vouching).toMatchObject({ method: 'cleartext', signerUserId: holder.key.getUserIDs()[0] });
    expect(result.vouching?.signerUserId).toMatch(/Mr[aá]z/);
  });

  it('is bad for the tampered copy (one byte of the signed title changed)', async () => {
    const result = await verifyMail(corpus(TAMPERED), await loadKeyring([OPENSSL_KEYS]));
    expect(result.verification.status).toBe('bad');
  });

  it('is unknown-key with an unrelated key, naming the issuer fingerprint the signature carries', async () => {
    const result = await verifyMail(corpus(OPENSSL_MAIL), await loadKeyring([UNRELATED_KEY]));
    expect(result.verification).toEqual({ status: 'unknown-key', issuer: await issuerOf(corpus(OPENSSL_MAIL).toString('latin1')) });
  });
});

describe('forwarded DSA: outer PGP/MIME by the forwarder, inner clearsigned DSA quoted-printable', () => {
  it('the inner Debian signature vouches for the DSA text; the outer one is reported as unknown-key', async () => {
    const raw = corpus(FORWARDED_DSA);
    const keyring = await loadKeyring([DEBIAN_KEY, OPENSSL_KEYS]);
    const result = await verifyMail(raw, keyring);
    const debian = keyring.keys.find((k) => k.origin === DEBIAN_KEY)!;
    expect(result.vouching).toMatchObject({ method: 'cleartext', verification: { status: 'verified', fingerprint: debian.fingerprint } });
    expect(result.vouching?.signerUserId).toBe(debian.key.getUserIDs()[0]);
    // The forwarder's key is not in the corpus: its signature is the last one in the mail.
    const outerIssuer = await issuerOf(raw.toString('latin1'), 1);
    expect(result.signatures).toContainEqual(expect.objectContaining({ method: 'pgp-mime', part: 'message', verification: { status: 'unknown-key', issuer: outerIssuer } }));
    expect(result.verification.status).toBe('verified');
  });

  it('without the Debian key nobody trusted signed it: unknown-key naming the inner (Debian) issuer', async () => {
    const raw = corpus(FORWARDED_DSA);
    const result = await verifyMail(raw, await loadKeyring([UNRELATED_KEY]));
    expect(result.verification).toEqual({ status: 'unknown-key', issuer: await issuerOf(raw.toString('latin1'), 0) });
  });
});

// PGP/MIME with a key made here: the corpus has no PGP/MIME mail whose signer's key is public.
async function testKey(): Promise<{ keyring: Keyring; privateKey: PrivateKey }> {
  const { privateKey, publicKey } = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'List Forwarder', email: 'fw@example.org' }], format: 'armored' });
  return { keyring: { keys: await readArmoredKeys(publicKey, 'test key') }, privateKey: await readPrivateKey({ armoredKey: privateKey }) };
}

/** A multipart/signed mail stored with LF line endings; the signature is over the CRLF form of part 1 (RFC 3156 §5). */
async function pgpMime(privateKey: PrivateKey, part: string): Promise<string> {
  const canonical = part.replace(/\r?\n/g, '\r\n');
  const message = await createMessage({ binary: new TextEncoder().encode(canonical) });
  // String(): eslint's type service cannot resolve openpgp's stream types for sign()'s result.
  const signature = String(await sign({ message, signingKeys: privateKey, detached: true }));
  return [
    'From: List Forwarder <fw@example.org>',
    'To: list@example.org',
    'Subject: FW: advisory',
    'Message-ID: <pgpmime-1@example.org>',
    'Date: Mon, 8 Apr 2024 14:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/signed; micalg=pgp-sha256;',
    '\tprotocol="application/pgp-signature"; boundary="XyZ"',
    '',
    'This is an OpenPGP/MIME signed message.',
    '--XyZ',
    part,
    '--XyZ',
    'Content-Type: application/pgp-signature; name="signature.asc"',
    '',
    signature.trimEnd(),
    '--XyZ--',
    '',
  ].join('\n');
}

describe('PGP/MIME multipart/signed', () => {
  const part = ['Content-Type: text/plain; charset=us-ascii', 'Content-Transfer-Encoding: quoted-printable', '', 'Fix for CVE-2024-0001 =', 'released.  ', ''].join('\n');

  it('verifies over the exact part bytes canonicalised to CRLF, though the mail is stored with LF', async () => {
    const { keyring, privateKey } = await testKey();
    const result = await verifyMail(new TextEncoder().encode(await pgpMime(privateKey, part)), keyring);
    expect(result.verification).toMatchObject({ status: 'verified', fingerprint: keyring.keys[0]!.fingerprint });
    expect(result.vouching).toMatchObject({ method: 'pgp-mime', part: 'message', signerUserId: 'List Forwarder <fw@example.org>' });
  });

  it('is bad when the signed part changed after signing (trailing white space included: the bytes count, not the decoded text)', async () => {
    const { keyring, privateKey } = await testKey();
    const mail = await pgpMime(privateKey, part);
    const altered = mail.replace('released.  \n', 'released. \n');
    expect(altered).not.toBe(mail);
    expect((await verifyMail(new TextEncoder().encode(altered), keyring)).verification.status).toBe('bad');
  });

  it('nested: a forwarder we trust around a DSA whose inner text was altered is bad (the inner signature decides)', async () => {
    const { keyring, privateKey } = await testKey();
    const dsa = corpus('mail/derived/dsa-3775-1.inner-clearsigned.DERIVED.txt').toString('utf8');
    const inner = (text: string) => ['Content-Type: text/plain; charset=us-ascii', '', 'Forwarding:', '', text].join('\n');
    const debian = await loadKeyring([DEBIAN_KEY]);
    const both: Keyring = { keys: [...keyring.keys, ...debian.keys] };
    const good = await verifyMail(new TextEncoder().encode(await pgpMime(privateKey, inner(dsa))), both);
    expect(good.vouching).toMatchObject({ method: 'cleartext', verification: { status: 'verified', fingerprint: debian.keys[0]!.fingerprint } });
    expect(good.signatures.find((s) => s.method === 'pgp-mime')?.verification.status).toBe('verified');
    const altered = dsa.replace('4.9.0-1~deb8u1', '4.9.0-1~deb8u2');
    expect(altered).not.toBe(dsa);
    const bad = await verifyMail(new TextEncoder().encode(await pgpMime(privateKey, inner(altered))), both);
    expect(bad.signatures.find((s) => s.method === 'pgp-mime')?.verification.status).toBe('verified');
    expect(bad.verification.status).toBe('bad');
  });
});

describe('bad input never crashes', () => {
  const headers = 'From: a@example.org\nSubject: x\nMessage-ID: <g@example.org>\nDate: Mon, 8 Apr 2024 14:00:00 +0000\n\n';

  it('garbage armour in a clearsigned block is bad with a reason', async () => {
    const mail = `${headers}-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nCVE-2024-0001\n-----BEGIN PGP SIGNATURE-----\n\n!!!not base64 at all!!!\n=XXXX\n-----END PGP SIGNATURE-----\n`;
    const result = await verifyMail(new TextEncoder().encode(mail), await loadKeyring([OPENSSL_KEYS]));
    expect(result.verification.status).toBe('bad');
    expect(result.verification).toHaveProperty('reason', expect.stringMatching(/\S/));
  });

  it('a clearsigned block cut before its END line is bad, naming the truncation', async () => {
    const text = corpus(OPENSSL_MAIL).toString('latin1');
    const cut = text.slice(0, text.indexOf('-----END PGP SIGNATURE-----'));
    const result = await verifyMail(Buffer.from(cut, 'latin1'), await loadKeyring([OPENSSL_KEYS]));
    expect(result.verification.status).toBe('bad');
    expect(result.verification).toHaveProperty('reason', expect.stringMatching(/truncated/) as unknown);
  });

  it('garbage in the PGP/MIME signature part is bad; a mail without any signature is unsigned', async () => {
    const { keyring, privateKey } = await testKey();
    const mail = (await pgpMime(privateKey, 'Content-Type: text/plain\n\nhello\n')).replace(/(-----BEGIN PGP SIGNATURE-----\n\n)[^-]+/, '$1garbage\n');
    expect((await verifyMail(new TextEncoder().encode(mail), keyring)).verification.status).toBe('bad');
    expect((await verifyMail(new TextEncoder().encode(`${headers}plain text\n`), keyring)).verification).toEqual({ status: 'unsigned' });
  });

  it('a multipart/signed whose closing boundary is missing still reports what it found, and the MIME problem', async () => {
    const { keyring, privateKey } = await testKey();
    const mail = (await pgpMime(privateKey, 'Content-Type: text/plain\n\nhello\n')).replace('--XyZ--\n', '');
    const result = await verifyMail(new TextEncoder().encode(mail), keyring);
    expect(result.problems.join(' ')).toMatch(/closing boundary missing/);
    expect(result.verification.status).toBe('verified');
  });
});
