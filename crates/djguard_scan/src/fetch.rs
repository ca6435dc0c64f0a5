//! One HTTP/1.1 exchange at a time, driven by hand so the scanner sees everything a browser
//! hides: every redirect hop with its headers and cookies, the TLS version, the peer's
//! certificate chain and why it failed verification. A failed verification does not stop the
//! request (the site is still graded, the way the Observatory does it): a recording verifier
//! keeps the verdict and lets the handshake go on.
//!
//! Bounded on every side, because the server is untrusted: connect, header and body time
//! limits, a body cap that also applies after gzip decoding, a header-size cap (hyper's), and
//! a redirect cap with loop detection.

use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use hyper::body::Bytes;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use serde::Serialize;
use url::Url;

/// How the scanner talks to sites; shared by every request of a run.
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    o: ClientOptions,
    verifier: Arc<rustls::client::WebPkiServerVerifier>,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

/// Settings a client is built from.
pub struct ClientOptions {
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub max_body: usize,
    pub user_agent: String,
    pub auth_headers: Vec<(String, String)>,
    pub auth_over_http: bool,
    pub resolve: Vec<(String, u16, IpAddr)>,
    /// PEM files of extra trusted roots (`--ca-file`).
    pub ca_files: Vec<std::path::PathBuf>,
}

/// Why a [`Client`] could not be built: a `--ca-file` that is unreadable or holds no usable
/// certificate, or the TLS verifier refusing the roots. The message already ends with the
/// cause, so print it with `{}` rather than walking [`std::error::Error::source`] too.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("cannot read --ca-file {}: {source}", .path.display())]
    ReadCaFile {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("--ca-file {}: bad PEM: {source}", .path.display())]
    BadPem {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A certificate rustls will not take as a trust anchor.
    #[error("--ca-file {}: {source}", .path.display())]
    BadCertificate {
        path: std::path::PathBuf,
        #[source]
        source: rustls::Error,
    },
    #[error("--ca-file {}: no PEM certificate in it", .path.display())]
    NoCertificate { path: std::path::PathBuf },
    #[error("TLS set-up: {0}")]
    TlsSetup(#[source] rustls::client::VerifierBuilderError),
}

impl Client {
    /// A client trusting Mozilla's roots (webpki-roots) plus the given CA files. Errors are
    /// about the CA files (or, in theory, the TLS set-up).
    pub fn new(o: ClientOptions) -> Result<Client, ClientError> {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for path in &o.ca_files {
            let data = std::fs::read(path).map_err(|source| ClientError::ReadCaFile {
                path: path.clone(),
                source,
            })?;
            let mut n = 0;
            for cert in rustls_pemfile::certs(&mut data.as_slice()) {
                let cert = cert.map_err(|source| ClientError::BadPem {
                    path: path.clone(),
                    source,
                })?;
                roots
                    .add(cert)
                    .map_err(|source| ClientError::BadCertificate {
                        path: path.clone(),
                        source,
                    })?;
                n += 1;
            }
            if n == 0 {
                return Err(ClientError::NoCertificate { path: path.clone() });
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = rustls::client::WebPkiServerVerifier::builder_with_provider(
            Arc::new(roots),
            provider.clone(),
        )
        .build()
        .map_err(ClientError::TlsSetup)?;
        Ok(Client {
            inner: Arc::new(ClientInner {
                o,
                verifier,
                provider,
            }),
        })
    }

    pub fn max_body(&self) -> usize {
        self.inner.o.max_body
    }

    pub fn connect_timeout(&self) -> Duration {
        self.inner.o.connect_timeout
    }

    /// Addresses for a host: `--resolve` first, then IP literals, then the system resolver.
    pub async fn resolve(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, FetchError> {
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        for (h, p, ip) in &self.inner.o.resolve {
            if h.eq_ignore_ascii_case(bare) && *p == port {
                return Ok(vec![SocketAddr::new(*ip, port)]);
            }
        }
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return Ok(vec![SocketAddr::new(ip, port)]);
        }
        let lookup = tokio::net::lookup_host((bare, port));
        match tokio::time::timeout(self.inner.o.connect_timeout, lookup).await {
            Err(_) => Err(FetchError::new(ErrorKind::Dns, "DNS lookup timed out")),
            Ok(Err(e)) => Err(FetchError::new(
                ErrorKind::Dns,
                format!("cannot resolve {bare}: {e}"),
            )),
            Ok(Ok(addrs)) => {
                let v: Vec<SocketAddr> = addrs.collect();
                if v.is_empty() {
                    Err(FetchError::new(
                        ErrorKind::Dns,
                        format!("{bare} has no address"),
                    ))
                } else {
                    Ok(v)
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    Dns,
    Connect,
    Tls,
    Timeout,
    Protocol,
    TooManyRedirects,
    RedirectLoop,
    BadUrl,
}

#[derive(Debug, Clone, Serialize)]
pub struct FetchError {
    pub kind: ErrorKind,
    pub message: String,
}

impl FetchError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> FetchError {
        FetchError {
            kind,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What the TLS handshake showed.
#[derive(Debug, Clone, Serialize, Default)]
pub struct TlsInfo {
    /// `TLSv1.3`, `TLSv1.2`.
    pub version: String,
    pub cipher: String,
    /// Why the chain did not verify (expired, wrong name, unknown issuer), `None` when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_kind: Option<CertProblem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertInfo>,
    /// Certificates the server sent (leaf included).
    pub chain_length: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertProblem {
    Expired,
    NotYetValid,
    WrongHost,
    UntrustedIssuer,
    Other,
}

#[derive(Debug, Clone, Serialize)]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    pub names: Vec<String>,
    /// RFC 3339 UTC.
    pub not_before: String,
    pub not_after: String,
    /// Whole days from now to `not_after` (negative once expired).
    pub days_left: i64,
    pub self_signed: bool,
    pub signature_algorithm: String,
}

/// One response, as received.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    pub method: String,
    pub url: String,
    pub status: u16,
    /// Header names lower-cased, in the order received, repeated headers kept apart.
    pub headers: Vec<(String, String)>,
    #[serde(skip)]
    pub body: Vec<u8>,
    /// The body was longer than the cap (or its decoding was) and was cut.
    pub body_truncated: bool,
    /// The body stopped early (time limit or connection error) after the headers arrived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsInfo>,
    pub elapsed_ms: u64,
}

impl Response {
    /// The first value of a header (name lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a header (name lower-case).
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn is_redirect(&self) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308) && self.header("location").is_some()
    }

    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

/// A request to make.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: &'static str,
    pub url: Url,
    /// Replaces the Host header (the ALLOWED_HOSTS probe); SNI keeps the URL's host.
    pub host_header: Option<String>,
    pub headers: Vec<(String, String)>,
    /// Read the body (capped); `false` reads none.
    pub read_body: bool,
}

impl Request {
    pub fn get(url: Url) -> Request {
        Request {
            method: "GET",
            url,
            host_header: None,
            headers: Vec::new(),
            read_body: true,
        }
    }
}

/// Records the certificate verdict and never fails the handshake on it.
#[derive(Debug)]
struct RecordingVerifier {
    inner: Arc<rustls::client::WebPkiServerVerifier>,
    verdict: Mutex<Option<rustls::Error>>,
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Err(e) = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) && let Ok(mut v) = self.verdict.lock()
        {
            *v = Some(e);
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

fn describe_cert_error(e: &rustls::Error) -> (CertProblem, String) {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::Expired | C::ExpiredContext { .. } => {
                (CertProblem::Expired, "the certificate has expired".into())
            }
            C::NotValidYet | C::NotValidYetContext { .. } => (
                CertProblem::NotYetValid,
                "the certificate is not valid yet".into(),
            ),
            C::NotValidForName | C::NotValidForNameContext { .. } => (
                CertProblem::WrongHost,
                "the certificate is not valid for this host name".into(),
            ),
            C::UnknownIssuer => (
                CertProblem::UntrustedIssuer,
                "the certificate does not chain to a trusted root (self-signed, private CA, or a missing intermediate)".into(),
            ),
            other => (CertProblem::Other, format!("invalid certificate: {other:?}")),
        },
        other => (CertProblem::Other, format!("certificate rejected: {other}")),
    }
}

fn cert_info(der: &[u8]) -> Option<CertInfo> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let not_after = cert.validity().not_after.timestamp();
    let mut names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for n in &san.value.general_names {
            match n {
                x509_parser::extensions::GeneralName::DNSName(d) => names.push(d.to_string()),
                x509_parser::extensions::GeneralName::IPAddress(b) => {
                    if let Ok(a) = <[u8; 4]>::try_from(*b) {
                        names.push(IpAddr::from(a).to_string());
                    } else if let Ok(a) = <[u8; 16]>::try_from(*b) {
                        names.push(IpAddr::from(a).to_string());
                    }
                }
                _ => {}
            }
        }
    }
    Some(CertInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        names,
        not_before: rfc3339(cert.validity().not_before.timestamp()),
        not_after: rfc3339(not_after),
        days_left: (not_after - now).div_euclid(86_400),
        self_signed: cert.subject() == cert.issuer(),
        signature_algorithm: oid_name(&cert.signature_algorithm.algorithm),
    })
}

fn oid_name(oid: &x509_parser::der_parser::oid::Oid<'_>) -> String {
    x509_parser::objects::oid2sn(oid, x509_parser::objects::oid_registry())
        .map(str::to_string)
        .unwrap_or_else(|_| oid.to_id_string())
}

pub use crate::dates::rfc3339;

/// A hyper error with its causes ("connection error: Connection reset by peer"), and a
/// cancelled request said for what it is: the server closed the connection first.
fn hyper_text(e: &hyper::Error) -> String {
    if e.is_canceled() {
        return "the server closed the connection before answering".to_string();
    }
    let mut text = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(cause) = src {
        let c = cause.to_string();
        if !text.contains(&c) {
            text.push_str(": ");
            text.push_str(&c);
        }
        src = cause.source();
    }
    if text.contains("message head is too large") {
        text.push_str(" (over 256 KiB of headers, or too many headers: over 8,192 lines)");
    }
    text
}

trait Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send> Io for T {}

impl Client {
    /// Connect to the URL's host (every address in turn), with TLS for https.
    async fn connect(&self, url: &Url) -> Result<(Box<dyn Io>, Option<TlsInfo>), FetchError> {
        let host = url
            .host_str()
            .ok_or_else(|| FetchError::new(ErrorKind::BadUrl, "URL has no host"))?;
        let port = url
            .port_or_known_default()
            .ok_or_else(|| FetchError::new(ErrorKind::BadUrl, "URL has no port"))?;
        let addrs = self.resolve(host, port).await?;
        let mut last = None;
        let mut tcp = None;
        for addr in addrs {
            match tokio::time::timeout(
                self.inner.o.connect_timeout,
                tokio::net::TcpStream::connect(addr),
            )
            .await
            {
                Ok(Ok(s)) => {
                    tcp = Some(s);
                    break;
                }
                Ok(Err(e)) => {
                    last = Some(FetchError::new(
                        ErrorKind::Connect,
                        format!("cannot connect to {addr}: {e}"),
                    ))
                }
                Err(_) => {
                    last = Some(FetchError::new(
                        ErrorKind::Timeout,
                        format!(
                            "connecting to {addr} timed out after {} s",
                            self.inner.o.connect_timeout.as_secs_f32()
                        ),
                    ))
                }
            }
        }
        let Some(tcp) = tcp else {
            return Err(last.unwrap_or_else(|| FetchError::new(ErrorKind::Connect, "no address")));
        };
        let _ = tcp.set_nodelay(true);
        if url.scheme() != "https" {
            return Ok((Box::new(tcp), None));
        }
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let name = ServerName::try_from(bare.to_string())
            .map_err(|e| FetchError::new(ErrorKind::BadUrl, format!("bad TLS name {bare}: {e}")))?;
        let recorder = Arc::new(RecordingVerifier {
            inner: self.inner.verifier.clone(),
            verdict: Mutex::new(None),
        });
        let mut config = rustls::ClientConfig::builder_with_provider(self.inner.provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| FetchError::new(ErrorKind::Tls, format!("TLS set-up: {e}")))?
            .dangerous()
            .with_custom_certificate_verifier(recorder.clone())
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
        let tls =
            match tokio::time::timeout(self.inner.o.connect_timeout, connector.connect(name, tcp))
                .await
            {
                Err(_) => {
                    return Err(FetchError::new(
                        ErrorKind::Timeout,
                        format!(
                            "TLS handshake with {bare}:{port} timed out after {} s",
                            self.inner.o.connect_timeout.as_secs_f32()
                        ),
                    ));
                }
                Ok(Err(e)) => {
                    return Err(FetchError::new(
                        ErrorKind::Tls,
                        format!("TLS handshake with {bare}:{port} failed: {e}"),
                    ));
                }
                Ok(Ok(s)) => s,
            };
        let (_, conn) = tls.get_ref();
        let mut info = TlsInfo {
            version: conn
                .protocol_version()
                .and_then(|v| v.as_str())
                .unwrap_or("unknown")
                .replace("TLSv1_", "TLSv1.")
                .to_string(),
            cipher: conn
                .negotiated_cipher_suite()
                .and_then(|c| c.suite().as_str())
                .unwrap_or("unknown")
                .to_string(),
            ..TlsInfo::default()
        };
        if let Some(chain) = conn.peer_certificates() {
            info.chain_length = chain.len();
            info.certificate = chain.first().and_then(|c| cert_info(c.as_ref()));
        }
        if let Ok(v) = recorder.verdict.lock()
            && let Some(e) = v.as_ref()
        {
            let (kind, text) = describe_cert_error(e);
            info.verify_kind = Some(kind);
            info.verify_error = Some(text);
        }
        Ok((Box::new(tls), Some(info)))
    }

    /// One request, no redirect following.
    pub async fn send(&self, req: &Request) -> Result<Response, FetchError> {
        let start = Instant::now();
        let (io, tls) = self.connect(&req.url).await?;
        let io = hyper_util::rt::TokioIo::new(io);
        let (mut sender, conn) = hyper::client::conn::http1::Builder::new()
            .max_buf_size(256 * 1024)
            .max_headers(8192)
            .handshake::<_, http_body_util::Empty<Bytes>>(io)
            .await
            .map_err(|e| {
                FetchError::new(
                    ErrorKind::Protocol,
                    format!("HTTP set-up: {}", hyper_text(&e)),
                )
            })?;
        let conn_task = tokio::spawn(async move {
            let _ = conn.await;
        });
        let request = self.build_request(req)?;
        let read_timeout = self.inner.o.read_timeout;
        let head = tokio::time::timeout(read_timeout, sender.send_request(request)).await;
        let resp = match head {
            Err(_) => {
                conn_task.abort();
                return Err(FetchError::new(
                    ErrorKind::Timeout,
                    format!(
                        "no complete response headers within {} s",
                        read_timeout.as_secs_f32()
                    ),
                ));
            }
            Ok(Err(e)) => {
                conn_task.abort();
                return Err(FetchError::new(
                    ErrorKind::Protocol,
                    format!("bad HTTP response: {}", hyper_text(&e)),
                ));
            }
            Ok(Ok(r)) => r,
        };
        let mut out = Response {
            method: req.method.to_string(),
            url: req.url.to_string(),
            status: resp.status().as_u16(),
            headers: response_headers(&resp),
            body: Vec::new(),
            body_truncated: false,
            body_error: None,
            tls,
            elapsed_ms: 0,
        };
        if req.read_body && req.method != "HEAD" {
            let cap = self.inner.o.max_body;
            let raw = read_body(resp.into_body(), cap, read_timeout, &mut out).await;
            decode_body(raw, cap, &mut out);
        }
        conn_task.abort();
        out.elapsed_ms = start.elapsed().as_millis() as u64;
        Ok(out)
    }

    /// The request line and headers: the client's own, the request's, and the
    /// authentication headers (over HTTPS only, unless allowed over HTTP).
    fn build_request(
        &self,
        req: &Request,
    ) -> Result<hyper::Request<http_body_util::Empty<Bytes>>, FetchError> {
        let host = match (req.url.host_str(), req.url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => String::new(),
        };
        let path = match req.url.query() {
            Some(q) => format!("{}?{q}", req.url.path()),
            None => req.url.path().to_string(),
        };
        let mut builder = hyper::Request::builder()
            .method(req.method)
            .uri(path)
            .header("host", req.host_header.as_deref().unwrap_or(&host))
            .header("user-agent", &self.inner.o.user_agent)
            .header(
                "accept",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            )
            .header("accept-encoding", "gzip")
            .header("connection", "close");
        for (k, v) in &req.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        if req.url.scheme() == "https" || self.inner.o.auth_over_http {
            for (k, v) in &self.inner.o.auth_headers {
                builder = builder.header(k.as_str(), v.as_str());
            }
        }
        builder
            .body(http_body_util::Empty::<Bytes>::new())
            .map_err(|e| FetchError::new(ErrorKind::BadUrl, format!("bad request: {e}")))
    }

    /// A request and its redirects (GET for every hop after the first), at most `max`
    /// redirects; a URL seen twice ends the chain as a loop.
    pub async fn follow(&self, first: Request, max: usize) -> Chain {
        let mut hops: Vec<Response> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        let mut req = first;
        loop {
            seen.push(req.url.to_string());
            match self.send(&req).await {
                Err(e) => {
                    return Chain {
                        hops,
                        error: Some(e),
                    };
                }
                Ok(resp) => {
                    let next = if resp.is_redirect() {
                        let loc = resp.header("location").unwrap_or("").to_string();
                        match req.url.join(&loc) {
                            Ok(u) => Some(u),
                            Err(e) => {
                                hops.push(resp);
                                return Chain {
                                    hops,
                                    error: Some(FetchError::new(
                                        ErrorKind::BadUrl,
                                        format!(
                                            "the redirect's Location `{}` is not a valid URL: {e}",
                                            loc.chars().take(200).collect::<String>()
                                        ),
                                    )),
                                };
                            }
                        }
                    } else {
                        None
                    };
                    hops.push(resp);
                    let Some(next) = next else {
                        return Chain { hops, error: None };
                    };
                    if !matches!(next.scheme(), "http" | "https") {
                        return Chain {
                            hops,
                            error: Some(FetchError::new(
                                ErrorKind::BadUrl,
                                format!("redirect to a non-HTTP URL: {next}"),
                            )),
                        };
                    }
                    if seen.iter().any(|s| s == next.as_str()) {
                        return Chain {
                            hops,
                            error: Some(FetchError::new(
                                ErrorKind::RedirectLoop,
                                format!("redirect loop back to {next}"),
                            )),
                        };
                    }
                    if hops.len() > max {
                        return Chain {
                            hops,
                            error: Some(FetchError::new(
                                ErrorKind::TooManyRedirects,
                                format!("more than {max} redirects; stopped at {next}"),
                            )),
                        };
                    }
                    req = Request {
                        method: if req.method == "HEAD" { "HEAD" } else { "GET" },
                        url: next,
                        host_header: None,
                        headers: req.headers,
                        read_body: req.read_body,
                    };
                }
            }
        }
    }
}

/// The response headers in arrival order, names lower-cased, values read as (lossy) UTF-8.
fn response_headers<B>(resp: &hyper::Response<B>) -> Vec<(String, String)> {
    resp.headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// The raw (still encoded) body, at most `cap` bytes and only until `read_timeout` runs out;
/// a cut or a stop is recorded on `out`.
async fn read_body(
    mut body: hyper::body::Incoming,
    cap: usize,
    read_timeout: Duration,
    out: &mut Response,
) -> Vec<u8> {
    let deadline = Instant::now() + read_timeout;
    let mut raw: Vec<u8> = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, body.frame()).await {
            Err(_) => {
                out.body_error = Some(format!(
                    "body not finished within {} s; read stopped",
                    read_timeout.as_secs_f32()
                ));
                break;
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                out.body_error = Some(format!("body cut short: {}", hyper_text(&e)));
                break;
            }
            Ok(Some(Ok(frame))) => {
                if let Ok(data) = frame.into_data() {
                    let room = cap.saturating_sub(raw.len());
                    if data.len() > room {
                        raw.extend_from_slice(&data[..room]);
                        out.body_truncated = true;
                        break;
                    }
                    raw.extend_from_slice(&data);
                }
            }
        }
    }
    raw
}

/// Sets `out.body` from the raw body, un-gzipped when the response says so; the cap applies
/// again after decoding, so a small gzip bomb cannot grow past it.
fn decode_body(raw: Vec<u8>, cap: usize, out: &mut Response) {
    let gz = out
        .header("content-encoding")
        .is_some_and(|e| e.trim().eq_ignore_ascii_case("gzip"));
    if !gz {
        out.body = raw;
        return;
    }
    let mut dec = flate2::read::MultiGzDecoder::new(raw.as_slice()).take(cap as u64 + 1);
    let mut plain = Vec::new();
    match dec.read_to_end(&mut plain) {
        Ok(_) => {}
        Err(e) => {
            if out.body_error.is_none() && !out.body_truncated {
                out.body_error = Some(format!("gzip body does not decode: {e}"));
            }
        }
    }
    if plain.len() > cap {
        plain.truncate(cap);
        out.body_truncated = true;
    }
    out.body = plain;
}

/// A request and the redirects it led to.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Chain {
    pub hops: Vec<Response>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<FetchError>,
}

impl Chain {
    /// The last response, when the chain ended on one that is not a redirect.
    pub fn last(&self) -> Option<&Response> {
        if self.error.is_some() {
            return None;
        }
        self.hops.last().filter(|r| !r.is_redirect())
    }

    /// The last response received, even when the chain was cut (a redirect loop, too many
    /// redirects, a later hop that failed): the best a site offers to be graded on.
    pub fn last_received(&self) -> Option<&Response> {
        self.last().or(self.hops.last())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_ca(path: &std::path::Path) -> Option<ClientError> {
        Client::new(ClientOptions {
            connect_timeout: Duration::from_secs(1),
            read_timeout: Duration::from_secs(1),
            max_body: 1024,
            user_agent: String::new(),
            auth_headers: Vec::new(),
            auth_over_http: false,
            resolve: Vec::new(),
            ca_files: vec![path.to_path_buf()],
        })
        .err()
    }

    #[test]
    fn ca_file_errors_name_the_file() {
        let dir = std::env::temp_dir().join(format!("djguard-fetch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = dir.join("missing.pem");
        let io = std::fs::read(&missing).unwrap_err();
        let e = with_ca(&missing).unwrap();
        assert_eq!(
            e.to_string(),
            format!("cannot read --ca-file {}: {io}", missing.display())
        );
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, b"no certificate here\n").unwrap();
        let e = with_ca(&empty).unwrap();
        assert_eq!(
            e.to_string(),
            format!("--ca-file {}: no PEM certificate in it", empty.display())
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
