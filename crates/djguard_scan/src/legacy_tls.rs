//! Does the server still speak TLS 1.0 or TLS 1.1?
//!
//! rustls only implements TLS 1.2 and 1.3, so the normal TLS client of `djguard scan` cannot
//! ask this question: a handshake that fails tells us nothing about the old versions. Both
//! were deprecated by RFC 8996 (2021), and a Django site that still accepts them is worth a
//! finding. Running the old handshakes to completion would take a full TLS 1.0 stack, but the
//! answer is already in the server's first reply, so this module writes one hand-made
//! ClientHello and reads one reply. It does no cryptography at all.
//!
//! # What is sent
//!
//! One handshake record (record-layer version 0x0301, as old clients sent it) holding a
//! ClientHello with:
//! * `client_version` = the probed version (0x0301 for TLS 1.0, 0x0302 for TLS 1.1) and
//!   nothing newer: there is no `supported_versions` extension, so a server cannot pick
//!   TLS 1.2 or 1.3 without breaking the protocol;
//! * 32 bytes of random, from std's randomly keyed hasher over the clock, the address and a
//!   counter (unpredictability does not matter: the handshake is never finished);
//! * an empty session id and the null compression method;
//! * the cipher suites a browser of that era offered: ECDHE with ECDSA or RSA and AES-CBC-SHA,
//!   plain RSA key exchange with AES-CBC-SHA, 3DES-EDE-CBC-SHA, and the
//!   `TLS_EMPTY_RENEGOTIATION_INFO_SCSV` signalling value ([`OFFERED_CIPHERS`]);
//! * the extensions `server_name` (only when the name is a DNS name: SNI cannot carry an IP
//!   literal), `supported_groups` (x25519, secp256r1, secp384r1), `ec_point_formats`
//!   (uncompressed) and an empty `renegotiation_info`.
//!
//! # What is concluded
//!
//! Only the first records of the reply are read (at most [`MAX_READ`] bytes), and every
//! length in them is checked before use, because the server may send anything at all.
//! * [`LegacyOutcome::Accepted`]: a ServerHello whose `server_version` is exactly the probed
//!   version and whose cipher suite is one we offered.
//! * [`LegacyOutcome::Refused`]: a fatal alert (typically `protocol_version` or
//!   `handshake_failure`), a ServerHello that picks another version, or the server closing or
//!   resetting the connection after our ClientHello without a byte in reply. Warning-level
//!   alerts (such as `unrecognized_name`) are skipped, as old clients did.
//! * [`LegacyOutcome::Error`]: no connection, a timeout (the whole exchange shares one
//!   deadline), or a reply that is not TLS: garbage, a plain HTTP answer, a record cut short,
//!   a ServerHello with an impossible layout or a cipher suite we never offered.

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The TLS version asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LegacyVersion {
    Tls10,
    Tls11,
}

impl LegacyVersion {
    /// The version number on the wire (`client_version` / `server_version`).
    pub fn wire(self) -> u16 {
        match self {
            LegacyVersion::Tls10 => 0x0301,
            LegacyVersion::Tls11 => 0x0302,
        }
    }

    /// "TLS 1.0" or "TLS 1.1".
    pub fn name(self) -> &'static str {
        match self {
            LegacyVersion::Tls10 => "TLS 1.0",
            LegacyVersion::Tls11 => "TLS 1.1",
        }
    }
}

impl fmt::Display for LegacyVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the server did with a ClientHello that offered only one legacy version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LegacyOutcome {
    /// The server agreed to the legacy version and chose this cipher suite (one of
    /// [`OFFERED_CIPHERS`]; [`cipher_name`] names it).
    Accepted { cipher: u16 },
    /// The server declined: an alert, another version, or a close/reset after our hello.
    Refused { reason: String },
    /// No verdict: no connection, a timeout, or a reply that is not TLS.
    Error(String),
}

impl LegacyOutcome {
    pub fn is_accepted(&self) -> bool {
        matches!(self, LegacyOutcome::Accepted { .. })
    }
}

/// The most bytes read from the server. The answer is in the first hundred bytes of a normal
/// reply; the cap only stops a server that trickles warning alerts or tiny fragments.
pub const MAX_READ: usize = 8 * 1024;

/// Cipher suites offered, in preference order, with their IANA names.
pub const OFFERED_CIPHERS: &[(u16, &str)] = &[
    (0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
    (0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
    (0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
    (0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
    (0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"),
    (0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA"),
    (0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
    (0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
    (SCSV_RENEGOTIATION, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"),
];

const SCSV_RENEGOTIATION: u16 = 0x00FF;

/// The IANA name of a cipher suite from [`OFFERED_CIPHERS`].
pub fn cipher_name(cipher: u16) -> Option<&'static str> {
    OFFERED_CIPHERS
        .iter()
        .find(|(id, _)| *id == cipher)
        .map(|(_, name)| *name)
}

/// Probes one legacy version: connects to `addr`, sends the ClientHello (with SNI
/// `server_name` when that is a DNS name) and judges the first reply. Connecting, writing and
/// reading all share the one `timeout`.
pub async fn probe(
    addr: SocketAddr,
    server_name: &str,
    version: LegacyVersion,
    timeout: Duration,
) -> LegacyOutcome {
    let hello = client_hello(
        version,
        sni_name(server_name).as_deref(),
        &random_bytes(addr),
    );
    match tokio::time::timeout(timeout, exchange(addr, &hello, version)).await {
        Ok(outcome) => outcome,
        Err(_) => LegacyOutcome::Error(format!(
            "{version} probe of {addr} timed out after {} ms",
            timeout.as_millis()
        )),
    }
}

/// Probes TLS 1.0 and TLS 1.1 (two connections, side by side): `(tls10, tls11)`.
pub async fn probe_all(
    addr: SocketAddr,
    server_name: &str,
    timeout: Duration,
) -> (LegacyOutcome, LegacyOutcome) {
    tokio::join!(
        probe(addr, server_name, LegacyVersion::Tls10, timeout),
        probe(addr, server_name, LegacyVersion::Tls11, timeout),
    )
}

async fn exchange(addr: SocketAddr, hello: &[u8], version: LegacyVersion) -> LegacyOutcome {
    let mut stream = match TcpStream::connect(addr).await {
        Ok(s) => s,
        Err(e) => return LegacyOutcome::Error(format!("cannot connect to {addr}: {e}")),
    };
    let _ = stream.set_nodelay(true);
    if let Err(e) = stream.write_all(hello).await {
        return if is_reset(&e) {
            refused(format!(
                "connection closed while sending the {version} ClientHello ({e})"
            ))
        } else {
            LegacyOutcome::Error(format!("cannot send the ClientHello to {addr}: {e}"))
        };
    }
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        match classify(&buf, version) {
            Verdict::Done(outcome) => return outcome,
            Verdict::NeedMore if buf.len() >= MAX_READ => {
                return LegacyOutcome::Error(format!(
                    "no ServerHello or alert in the first {} bytes of the reply",
                    buf.len()
                ));
            }
            Verdict::NeedMore => {}
        }
        let room = (MAX_READ - buf.len()).min(chunk.len());
        match stream.read(&mut chunk[..room]).await {
            Ok(0) => return closed_early(&buf, version, "closed the connection"),
            Ok(n) => buf.extend_from_slice(chunk.get(..n).unwrap_or_default()),
            Err(e) if is_reset(&e) => return closed_early(&buf, version, "reset the connection"),
            Err(e) => return LegacyOutcome::Error(format!("reading the reply failed: {e}")),
        }
    }
}

fn is_reset(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe
    )
}

/// The peer ended the connection before a verdict: silence means no, a partial reply is
/// garbage.
fn closed_early(buf: &[u8], version: LegacyVersion, how: &str) -> LegacyOutcome {
    if buf.is_empty() {
        refused(format!(
            "the server {how} after the {version} ClientHello without answering"
        ))
    } else {
        LegacyOutcome::Error(format!(
            "the server {how} after {} bytes, in the middle of a record",
            buf.len()
        ))
    }
}

fn refused(reason: String) -> LegacyOutcome {
    LegacyOutcome::Refused { reason }
}

// ---------------------------------------------------------------------------------------
// The ClientHello

const CONTENT_ALERT: u8 = 21;
const CONTENT_HANDSHAKE: u8 = 22;
const HANDSHAKE_CLIENT_HELLO: u8 = 1;
const HANDSHAKE_SERVER_HELLO: u8 = 2;
const RECORD_VERSION: u16 = 0x0301;

const EXT_SERVER_NAME: u16 = 0x0000;
const EXT_SUPPORTED_GROUPS: u16 = 0x000A;
const EXT_EC_POINT_FORMATS: u16 = 0x000B;
const EXT_RENEGOTIATION_INFO: u16 = 0xFF01;
const GROUPS: [u16; 3] = [
    0x001D, /* x25519 */
    0x0017, /* secp256r1 */
    0x0018, /* secp384r1 */
];

/// The SNI host name for `server_name`, or None when it is an IP literal or not a plain
/// ASCII DNS name (SNI carries neither; a Unicode name would need its punycode form).
fn sni_name(server_name: &str) -> Option<String> {
    let name = server_name.trim().trim_end_matches('.');
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    if name.is_empty() || name.len() > 253 || bare.parse::<IpAddr>().is_ok() {
        return None;
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    name.split('.')
        .all(label_ok)
        .then(|| name.to_ascii_lowercase())
}

/// 32 bytes that differ between calls: std's `RandomState` is keyed randomly per process,
/// and the clock, the address and a counter vary the input.
fn random_bytes(addr: SocketAddr) -> [u8; 32] {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let state = std::collections::hash_map::RandomState::new();
    let mut out = [0u8; 32];
    for (i, part) in out.chunks_exact_mut(8).enumerate() {
        let mut h = state.build_hasher();
        h.write_u128(nanos);
        h.write_u64(count);
        h.write_usize(i);
        std::hash::Hash::hash(&addr, &mut h);
        part.copy_from_slice(&h.finish().to_be_bytes());
    }
    out
}

fn put_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_be_bytes());
}

/// Appends `body` preceded by its length in `width` bytes (1, 2 or 3). Our own fields are
/// small, far below each limit.
fn put_vec(out: &mut Vec<u8>, width: usize, body: &[u8]) {
    let len = (body.len() as u32).to_be_bytes();
    out.extend_from_slice(&len[4 - width..]);
    out.extend_from_slice(body);
}

fn put_extension(out: &mut Vec<u8>, kind: u16, body: &[u8]) {
    put_u16(out, kind);
    put_vec(out, 2, body);
}

/// The complete record: header, handshake header, ClientHello.
fn client_hello(version: LegacyVersion, sni: Option<&str>, random: &[u8; 32]) -> Vec<u8> {
    let mut hello = Vec::with_capacity(160);
    put_u16(&mut hello, version.wire());
    hello.extend_from_slice(random);
    hello.push(0); // session id: empty
    let mut ciphers = Vec::new();
    for (id, _) in OFFERED_CIPHERS {
        put_u16(&mut ciphers, *id);
    }
    put_vec(&mut hello, 2, &ciphers);
    put_vec(&mut hello, 1, &[0]); // compression: null

    let mut exts = Vec::new();
    if let Some(name) = sni {
        let mut entry = vec![0u8]; // name type: host_name
        put_vec(&mut entry, 2, name.as_bytes());
        let mut list = Vec::new();
        put_vec(&mut list, 2, &entry);
        put_extension(&mut exts, EXT_SERVER_NAME, &list);
    }
    let mut groups = Vec::new();
    for g in GROUPS {
        put_u16(&mut groups, g);
    }
    let mut list = Vec::new();
    put_vec(&mut list, 2, &groups);
    put_extension(&mut exts, EXT_SUPPORTED_GROUPS, &list);
    put_extension(&mut exts, EXT_EC_POINT_FORMATS, &[1, 0]); // one format: uncompressed
    put_extension(&mut exts, EXT_RENEGOTIATION_INFO, &[0]); // empty renegotiated_connection
    put_vec(&mut hello, 2, &exts);

    let mut handshake = vec![HANDSHAKE_CLIENT_HELLO];
    put_vec(&mut handshake, 3, &hello);
    let mut record = vec![CONTENT_HANDSHAKE];
    put_u16(&mut record, RECORD_VERSION);
    put_vec(&mut record, 2, &handshake);
    record
}

// ---------------------------------------------------------------------------------------
// The reply

enum Verdict {
    Done(LegacyOutcome),
    NeedMore,
}

/// The largest record a TLS 1.0/1.1 peer may send (2^14 plus compression and MAC expansion
/// allowances).
const MAX_RECORD: usize = (1 << 14) + 2048;

/// A cursor over untrusted bytes: every read is checked.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }

    fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let bytes = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(bytes)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).and_then(|b| b.first().copied())
    }

    fn u16(&mut self) -> Option<u16> {
        self.take(2)
            .map(|b| b.iter().fold(0, |acc, &x| (acc << 8) | u16::from(x)))
    }

    fn u24(&mut self) -> Option<usize> {
        self.take(3)
            .map(|b| b.iter().fold(0, |acc, &x| (acc << 8) | usize::from(x)))
    }
}

fn version_name(v: u16) -> String {
    match v {
        0x0300 => "SSL 3.0".into(),
        0x0301 => "TLS 1.0".into(),
        0x0302 => "TLS 1.1".into(),
        0x0303 => "TLS 1.2".into(),
        0x0304 => "TLS 1.3".into(),
        _ => format!("unknown version 0x{v:04x}"),
    }
}

fn alert_name(desc: u8) -> &'static str {
    match desc {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        22 => "record_overflow",
        40 => "handshake_failure",
        42 => "bad_certificate",
        47 => "illegal_parameter",
        50 => "decode_error",
        51 => "decrypt_error",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        90 => "user_canceled",
        109 => "missing_extension",
        110 => "unsupported_extension",
        112 => "unrecognized_name",
        120 => "no_application_protocol",
        _ => "unknown alert",
    }
}

fn garbage(what: String) -> Verdict {
    Verdict::Done(LegacyOutcome::Error(what))
}

/// Judges the bytes read so far, or asks for more. Walks the records in order: warning
/// alerts are skipped, a fatal alert ends it, handshake payloads are joined (a ServerHello
/// may be split over records) until the ServerHello's version and cipher are readable.
fn classify(data: &[u8], version: LegacyVersion) -> Verdict {
    let mut records = Reader::new(data);
    let mut handshake: Vec<u8> = Vec::new();
    loop {
        if records.remaining() < 5 {
            return Verdict::NeedMore;
        }
        let (Some(kind), Some(record_version), Some(len)) =
            (records.u8(), records.u16(), records.u16())
        else {
            return Verdict::NeedMore;
        };
        let len = usize::from(len);
        if record_version >> 8 != 3 || !matches!(kind, CONTENT_ALERT | CONTENT_HANDSHAKE) {
            let head = data.get(..5).unwrap_or_default();
            let hint = if head.starts_with(b"HTTP/") {
                " (a plain HTTP answer)".to_string()
            } else {
                String::new()
            };
            return garbage(format!(
                "the reply is not a TLS alert or handshake record: starts with {}{hint}",
                hex(head)
            ));
        }
        if len == 0 || len > MAX_RECORD {
            return garbage(format!(
                "a TLS record with an impossible length of {len} bytes"
            ));
        }
        if kind == CONTENT_ALERT && !handshake.is_empty() {
            return garbage("an alert in the middle of a split ServerHello".into());
        }
        // Only the start of a record is needed; a long record holding the ServerHello and
        // the certificates is judged as soon as the ServerHello is in.
        let available = records.remaining().min(len);
        let complete = available == len;
        let Some(payload) = records.take(available) else {
            return Verdict::NeedMore;
        };
        if kind == CONTENT_ALERT {
            let mut alert = Reader::new(payload);
            let (Some(level), Some(desc)) = (alert.u8(), alert.u8()) else {
                if complete {
                    return garbage(format!("an alert record of {len} byte(s)"));
                }
                return Verdict::NeedMore;
            };
            if !complete {
                return Verdict::NeedMore;
            }
            match level {
                // A warning that is not close_notify does not end the handshake.
                1 if desc != 0 => continue,
                1 | 2 => {
                    let level = if level == 2 { "fatal" } else { "warning" };
                    return Verdict::Done(refused(format!(
                        "the server answered {version} with a {level} alert: {} ({desc})",
                        alert_name(desc)
                    )));
                }
                _ => return garbage(format!("an alert with an unknown level {level}")),
            }
        }
        handshake.extend_from_slice(payload);
        match server_hello(&handshake, version) {
            Verdict::NeedMore if complete => continue,
            verdict => return verdict,
        }
    }
}

/// Reads the ServerHello's version and cipher out of the joined handshake bytes.
fn server_hello(handshake: &[u8], version: LegacyVersion) -> Verdict {
    let mut r = Reader::new(handshake);
    let Some(kind) = r.u8() else {
        return Verdict::NeedMore;
    };
    if kind != HANDSHAKE_SERVER_HELLO {
        return garbage(format!(
            "the first handshake message is of type {kind}, not a ServerHello"
        ));
    }
    let Some(len) = r.u24() else {
        return Verdict::NeedMore;
    };
    // version, random, session id length, cipher suite, compression method.
    const MIN_HELLO: usize = 2 + 32 + 1 + 2 + 1;
    if !(MIN_HELLO..=MAX_RECORD).contains(&len) {
        return garbage(format!(
            "a ServerHello of an impossible length ({len} bytes)"
        ));
    }
    let Some(server_version) = r.u16() else {
        return Verdict::NeedMore;
    };
    if r.take(32).is_none() {
        return Verdict::NeedMore;
    }
    let Some(sid_len) = r.u8() else {
        return Verdict::NeedMore;
    };
    let sid_len = usize::from(sid_len);
    if sid_len > 32 || MIN_HELLO + sid_len > len {
        return garbage(format!(
            "a ServerHello with an impossible session id length ({sid_len})"
        ));
    }
    if r.take(sid_len).is_none() {
        return Verdict::NeedMore;
    }
    let Some(cipher) = r.u16() else {
        return Verdict::NeedMore;
    };
    if server_version != version.wire() {
        if server_version >> 8 != 3 {
            return garbage(format!(
                "a ServerHello with the version 0x{server_version:04x}"
            ));
        }
        return Verdict::Done(refused(format!(
            "the server answered the {version} ClientHello with {}",
            version_name(server_version)
        )));
    }
    if cipher == SCSV_RENEGOTIATION || cipher_name(cipher).is_none() {
        return garbage(format!(
            "the ServerHello picks the cipher suite 0x{cipher:04x}, which was not offered"
        ));
    }
    Verdict::Done(LegacyOutcome::Accepted { cipher })
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RANDOM: [u8; 32] = [7; 32];

    fn record(kind: u8, version: u16, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![kind];
        put_u16(&mut out, version);
        put_vec(&mut out, 2, payload);
        out
    }

    fn hello_msg(version: u16, sid: &[u8], cipher: u16) -> Vec<u8> {
        let mut body = Vec::new();
        put_u16(&mut body, version);
        body.extend_from_slice(&[3; 32]);
        put_vec(&mut body, 1, sid);
        put_u16(&mut body, cipher);
        body.push(0);
        let mut msg = vec![HANDSHAKE_SERVER_HELLO];
        put_vec(&mut msg, 3, &body);
        msg
    }

    fn judge(data: &[u8], version: LegacyVersion) -> Option<LegacyOutcome> {
        match classify(data, version) {
            Verdict::Done(o) => Some(o),
            Verdict::NeedMore => None,
        }
    }

    #[test]
    fn client_hello_layout() {
        let rec = client_hello(LegacyVersion::Tls11, Some("example.com"), &RANDOM);
        assert_eq!(&rec[..3], &[22, 3, 1]);
        assert_eq!(
            usize::from(u16::from_be_bytes([rec[3], rec[4]])),
            rec.len() - 5
        );
        assert_eq!(rec[5], HANDSHAKE_CLIENT_HELLO);
        let hs_len = (usize::from(rec[6]) << 16) | (usize::from(rec[7]) << 8) | usize::from(rec[8]);
        assert_eq!(hs_len, rec.len() - 9);
        assert_eq!(&rec[9..11], &[3, 2]);
        assert_eq!(&rec[11..43], &RANDOM);
        assert_eq!(rec[43], 0);
        let n = usize::from(u16::from_be_bytes([rec[44], rec[45]]));
        assert_eq!(n, OFFERED_CIPHERS.len() * 2);
        let at = 46 + n;
        assert_eq!(&rec[at..at + 2], &[1, 0]);
        let ext_len = usize::from(u16::from_be_bytes([rec[at + 2], rec[at + 3]]));
        assert_eq!(ext_len, rec.len() - at - 4);
        let exts = &rec[at + 4..];
        assert!(exts.windows(11).any(|w| w == b"example.com"));
        assert!(!exts.windows(2).any(|w| w == [0x00, 0x2b]));
        let no_sni = client_hello(LegacyVersion::Tls10, None, &RANDOM);
        assert_eq!(&no_sni[9..11], &[3, 1]);
        assert!(no_sni.len() < rec.len());
    }

    #[test]
    fn sni_only_for_dns_names() {
        assert_eq!(sni_name("localhost").as_deref(), Some("localhost"));
        assert_eq!(
            sni_name("WWW.Example.COM.").as_deref(),
            Some("www.example.com")
        );
        assert_eq!(sni_name("127.0.0.1"), None);
        assert_eq!(sni_name("::1"), None);
        assert_eq!(sni_name("[::1]"), None);
        assert_eq!(sni_name(""), None);
        assert_eq!(sni_name("bad..name"), None);
        assert_eq!(sni_name("exämple.com"), None);
    }

    #[test]
    fn random_differs() {
        let addr: SocketAddr = "127.0.0.1:443".parse().unwrap();
        assert_ne!(random_bytes(addr), random_bytes(addr));
    }

    #[test]
    fn accepted_split_and_after_warning() {
        let msg = hello_msg(0x0301, &[9; 32], 0xC014);
        let mut data = record(CONTENT_ALERT, 0x0301, &[1, 112]);
        data.extend(record(CONTENT_HANDSHAKE, 0x0301, &msg[..10]));
        data.extend(record(CONTENT_HANDSHAKE, 0x0301, &msg[10..]));
        // The last byte (the compression method) is not needed for the verdict.
        for cut in 0..data.len() - 1 {
            assert_eq!(
                judge(&data[..cut], LegacyVersion::Tls10),
                None,
                "cut at {cut}"
            );
        }
        assert_eq!(
            judge(&data, LegacyVersion::Tls10),
            Some(LegacyOutcome::Accepted { cipher: 0xC014 })
        );
    }

    #[test]
    fn other_version_refused() {
        let data = record(CONTENT_HANDSHAKE, 0x0301, &hello_msg(0x0301, &[], 0x002F));
        assert!(matches!(
            judge(&data, LegacyVersion::Tls11),
            Some(LegacyOutcome::Refused { .. })
        ));
    }

    #[test]
    fn hostile_bytes_never_panic() {
        let good = record(
            CONTENT_HANDSHAKE,
            0x0301,
            &hello_msg(0x0302, &[1; 16], 0x0035),
        );
        let mut state = 0x1234_5678_u32;
        for i in 0..20_000 {
            let mut data = good.clone();
            for _ in 0..(i % 4 + 1) {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let at = state as usize % data.len();
                data[at] = (state >> 8) as u8;
            }
            data.truncate(state as usize % (data.len() + 1));
            let _ = judge(&data, LegacyVersion::Tls11);
        }
        assert_eq!(
            judge(&good, LegacyVersion::Tls11),
            Some(LegacyOutcome::Accepted { cipher: 0x0035 })
        );
    }

    #[test]
    fn bad_layouts_are_errors() {
        let bad_sid = {
            let mut m = hello_msg(0x0301, &[], 0x002F);
            m[38] = 200;
            record(CONTENT_HANDSHAKE, 0x0301, &m)
        };
        let cases: Vec<Vec<u8>> = vec![
            b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec(),
            record(CONTENT_HANDSHAKE, 0x0301, &[11, 0, 0, 0]),
            record(CONTENT_HANDSHAKE, 0x0301, &hello_msg(0x0301, &[], 0x1301)),
            record(
                CONTENT_HANDSHAKE,
                0x0301,
                &hello_msg(0x0301, &[], SCSV_RENEGOTIATION),
            ),
            record(CONTENT_ALERT, 0x0301, &[7]),
            vec![22, 3, 1, 0, 0],
            vec![22, 3, 1, 0xff, 0xff],
            bad_sid,
        ];
        for data in cases {
            assert!(
                matches!(
                    judge(&data, LegacyVersion::Tls10),
                    Some(LegacyOutcome::Error(_))
                ),
                "{data:?}"
            );
        }
    }
}
