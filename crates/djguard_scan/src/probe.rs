//! The requests made for one site, in order, and nothing else: the network half of the
//! checkup. What they showed (`Observations`) goes to `analyse`, which is pure.
//!
//! Per site, at most: the http:// chain and the https:// chain (each up to the redirect
//! cap), two legacy-TLS handshakes, and one request each for a missing page, a made-up Host,
//! `/admin/`, `/accounts/login/`, `/.env`, `/.git/HEAD`, `/api/`, `TRACE /` and a CORS
//! preflight: about fifteen requests, one at a time (a site is never sent two requests at
//! once).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use serde::Serialize;
use url::Url;

use super::fetch::{Chain, Client, ErrorKind, FetchError, Request, Response};

/// What to probe.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    pub max_redirects: usize,
    /// Where plain HTTP lives when the URL is https on a port other than 443.
    pub http_port: Option<u16>,
    /// Where HTTPS lives when the URL is http on a port other than 80.
    pub https_port: Option<u16>,
    /// The Django probes (missing page, Host, admin, login, secrets, API, TRACE, CORS).
    pub django_probes: bool,
    pub legacy_tls: bool,
    /// Retries of the main pages after a timeout or a dropped connection.
    pub retries: u32,
    /// Pause between two requests to the same site.
    pub delay: Duration,
    /// The whole site's time budget: requests that would run past it are cut or skipped,
    /// so what was gathered before is still graded.
    pub budget: Duration,
}

/// The result of one legacy-TLS handshake attempt.
#[derive(Debug, Clone, Serialize)]
pub struct LegacyProbe {
    pub version: &'static str,
    pub accepted: bool,
    pub detail: String,
}

/// Everything the requests showed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Observations {
    pub input: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<Chain>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub https_start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub https: Option<Chain>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub legacy_tls: Vec<LegacyProbe>,
    /// A page that cannot exist (`/djguard-probe-<random>/`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_found: Option<Response>,
    /// `GET /` with a made-up Host header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bogus_host: Option<Response>,
    pub bogus_host_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin: Option<Chain>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login: Option<Chain>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dotenv: Option<Response>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_head: Option<Response>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<Response>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Response>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cors: Option<Response>,
    pub cors_origin: String,
    /// Probes that failed at the transport level (name, error).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub probe_errors: Vec<(String, FetchError)>,
    pub requests: u32,
}

pub const PROBE_ORIGIN: &str = "https://djguard-cors-probe.example";

/// A random-looking token for probe paths and hosts (time and address based: it only has to
/// differ between runs so that caches do not answer).
fn token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    format!("{:012x}", h.finish() & 0xffff_ffff_ffff)
}

/// A site given to scan that is not a URL we can scan; `text` is the input, trimmed. The
/// site is reported as not graded, with this message.
#[derive(Debug, thiserror::Error)]
pub enum SiteUrlError {
    #[error("not a URL: {text}: {source}")]
    NotAUrl {
        text: String,
        #[source]
        source: url::ParseError,
    },
    #[error("{text}: only http and https URLs can be scanned")]
    UnsupportedScheme { text: String },
    #[error("{text}: the URL has no host")]
    NoHost { text: String },
}

/// The site's starting URLs: `(http, https)`. A bare host means https.
pub fn starts(input: &str, o: &ProbeOptions) -> Result<(Option<Url>, Option<Url>), SiteUrlError> {
    let text = input.trim();
    let with_scheme = if text.contains("://") {
        text.to_string()
    } else {
        format!("https://{text}")
    };
    let url = Url::parse(&with_scheme).map_err(|source| SiteUrlError::NotAUrl {
        text: text.to_string(),
        source,
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(SiteUrlError::UnsupportedScheme {
            text: text.to_string(),
        });
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(SiteUrlError::NoHost {
            text: text.to_string(),
        });
    }
    let mut other = url.clone();
    let swap = |u: &mut Url, scheme: &str, port: Option<u16>| -> bool {
        u.set_scheme(scheme).is_ok() && u.set_port(port).is_ok()
    };
    if url.scheme() == "https" {
        let http = match (url.port(), o.http_port) {
            (_, Some(p)) => swap(&mut other, "http", Some(p)).then_some(other),
            (None, None) => swap(&mut other, "http", None).then_some(other),
            _ => None,
        };
        Ok((http, Some(url)))
    } else {
        let https = match (url.port(), o.https_port) {
            (_, Some(p)) => swap(&mut other, "https", Some(p)).then_some(other),
            (None, None) => swap(&mut other, "https", None).then_some(other),
            _ => None,
        };
        Ok((Some(url), https))
    }
}

struct Prober<'a> {
    client: &'a Client,
    o: &'a ProbeOptions,
    requests: AtomicU32,
    /// When the site's budget runs out.
    until: tokio::time::Instant,
}

fn out_of_time() -> FetchError {
    FetchError::new(
        ErrorKind::Timeout,
        "the site's time budget (--site-timeout) ran out; request not made or cut",
    )
}

impl Prober<'_> {
    async fn pause(&self) {
        if !self.o.delay.is_zero() && self.requests.load(Ordering::Relaxed) > 0 {
            tokio::time::sleep(self.o.delay).await;
        }
    }

    async fn send(&self, req: Request) -> Result<Response, FetchError> {
        self.pause().await;
        if tokio::time::Instant::now() >= self.until {
            return Err(out_of_time());
        }
        self.requests.fetch_add(1, Ordering::Relaxed);
        tokio::time::timeout_at(self.until, self.client.send(&req))
            .await
            .unwrap_or_else(|_| Err(out_of_time()))
    }

    async fn follow(&self, req: Request, max: usize, retries: u32) -> Chain {
        let mut attempt = 0;
        loop {
            self.pause().await;
            if tokio::time::Instant::now() >= self.until {
                return Chain {
                    hops: Vec::new(),
                    error: Some(out_of_time()),
                };
            }
            let chain = tokio::time::timeout_at(self.until, self.client.follow(req.clone(), max))
                .await
                .unwrap_or_else(|_| Chain {
                    hops: Vec::new(),
                    error: Some(out_of_time()),
                });
            self.requests.fetch_add(
                (chain.hops.len() + usize::from(chain.error.is_some())) as u32,
                Ordering::Relaxed,
            );
            let transient = chain.hops.is_empty()
                && chain
                    .error
                    .as_ref()
                    .is_some_and(|e| matches!(e.kind, ErrorKind::Timeout | ErrorKind::Protocol));
            if !transient || attempt >= retries {
                return chain;
            }
            // Back off 0.5 s, 1 s, 2 s ... before trying again.
            tokio::time::sleep(Duration::from_millis(500u64 << attempt.min(5))).await;
            attempt += 1;
        }
    }
}

/// Probe one site. Only an input that is no scannable URL fails; network failures are
/// part of the observations.
pub async fn observe(
    client: &Client,
    input: &str,
    o: &ProbeOptions,
) -> Result<Observations, SiteUrlError> {
    let (http_start, https_start) = starts(input, o)?;
    let p = Prober {
        client,
        o,
        requests: AtomicU32::new(0),
        until: tokio::time::Instant::now() + o.budget,
    };
    let mut obs = Observations {
        input: input.to_string(),
        http_start: http_start.as_ref().map(Url::to_string),
        cors_origin: PROBE_ORIGIN.to_string(),
        ..Observations::default()
    };
    if let Some(url) = &http_start {
        obs.http = Some(
            p.follow(Request::get(url.clone()), o.max_redirects, o.retries)
                .await,
        );
    }
    // The https chain: where the http chain went when it reached https, else the https URL.
    let mut https_url = https_start;
    if let Some(chain) = &obs.http
        && let Some(first_https) = chain.hops.iter().position(|h| h.url.starts_with("https:"))
    {
        let tail: Vec<Response> = chain.hops[first_https..].to_vec();
        let reuse = https_url.as_ref().is_none_or(|u| u.as_str() == tail[0].url);
        if reuse {
            obs.https_start = Some(tail[0].url.clone());
            obs.https = Some(Chain {
                hops: tail,
                error: chain.error.clone(),
            });
            https_url = None;
        }
    }
    if let Some(url) = https_url {
        obs.https_start = Some(url.to_string());
        obs.https = Some(
            p.follow(Request::get(url), o.max_redirects, o.retries)
                .await,
        );
    }
    // The origin the probes go to: where the https chain ended, else the http chain.
    let landing = [obs.https.as_ref(), obs.http.as_ref()]
        .into_iter()
        .flatten()
        .find_map(|c| c.last().map(|r| r.url.clone()))
        .or_else(|| {
            [obs.https.as_ref(), obs.http.as_ref()]
                .into_iter()
                .flatten()
                .find_map(|c| c.last_received().map(|r| r.url.clone()))
        });
    let Some(landing) = landing.and_then(|u| Url::parse(&u).ok()) else {
        obs.requests = p.requests.load(Ordering::Relaxed);
        return Ok(obs);
    };
    if o.legacy_tls && landing.scheme() == "https" {
        legacy(&p, &landing, &mut obs).await;
    }
    if o.django_probes {
        django_probes(&p, &landing, &mut obs).await;
    }
    obs.requests = p.requests.load(Ordering::Relaxed);
    Ok(obs)
}

async fn legacy(p: &Prober<'_>, landing: &Url, obs: &mut Observations) {
    use super::legacy_tls::{LegacyOutcome, LegacyVersion, probe};
    let (Some(host), Some(port)) = (landing.host_str(), landing.port_or_known_default()) else {
        return;
    };
    let Ok(addrs) = p.client.resolve(host, port).await else {
        return;
    };
    let Some(addr) = addrs.first().copied() else {
        return;
    };
    let sni = host.trim_start_matches('[').trim_end_matches(']');
    for (v, name) in [
        (LegacyVersion::Tls10, "TLSv1.0"),
        (LegacyVersion::Tls11, "TLSv1.1"),
    ] {
        p.pause().await;
        if tokio::time::Instant::now() >= p.until {
            break;
        }
        let out = tokio::time::timeout_at(p.until, probe(addr, sni, v, p.client.connect_timeout()))
            .await
            .unwrap_or_else(|_| LegacyOutcome::Error(out_of_time().message));
        let (accepted, detail) = match out {
            LegacyOutcome::Accepted { cipher } => {
                (true, format!("handshake accepted (cipher 0x{cipher:04x})"))
            }
            LegacyOutcome::Refused { reason } => (false, reason),
            LegacyOutcome::Error(e) => (false, format!("probe failed: {e}")),
        };
        obs.legacy_tls.push(LegacyProbe {
            version: name,
            accepted,
            detail,
        });
    }
}

fn at(landing: &Url, path: &str) -> Url {
    landing.join(path).unwrap_or_else(|_| landing.clone())
}

fn keep(obs: &mut Observations, name: &str, r: Result<Response, FetchError>) -> Option<Response> {
    match r {
        Ok(r) => Some(r),
        Err(e) => {
            obs.probe_errors.push((name.to_string(), e));
            None
        }
    }
}

fn keep_chain(obs: &mut Observations, name: &str, c: Chain) -> Option<Chain> {
    if c.hops.is_empty() {
        if let Some(e) = c.error {
            obs.probe_errors.push((name.to_string(), e));
        }
        return None;
    }
    Some(c)
}

async fn django_probes(p: &Prober<'_>, landing: &Url, obs: &mut Observations) {
    let tok = token();
    let r = p
        .send(Request::get(at(landing, &format!("/djguard-probe-{tok}/"))))
        .await;
    obs.not_found = keep(obs, "missing page", r);

    obs.bogus_host_name = format!("djguard-{tok}.invalid");
    let mut req = Request::get(at(landing, "/"));
    req.host_header = Some(obs.bogus_host_name.clone());
    let r = p.send(req).await;
    obs.bogus_host = keep(obs, "made-up Host", r);

    let c = p.follow(Request::get(at(landing, "/admin/")), 3, 0).await;
    obs.admin = keep_chain(obs, "admin", c);
    let c = p
        .follow(Request::get(at(landing, "/accounts/login/")), 3, 0)
        .await;
    obs.login = keep_chain(obs, "login page", c);

    let r = p.send(Request::get(at(landing, "/.env"))).await;
    obs.dotenv = keep(obs, ".env", r);
    let r = p.send(Request::get(at(landing, "/.git/HEAD"))).await;
    obs.git_head = keep(obs, ".git/HEAD", r);
    let r = p.send(Request::get(at(landing, "/api/"))).await;
    obs.api = keep(obs, "API", r);

    let mut req = Request::get(at(landing, "/"));
    req.method = "TRACE";
    let r = p.send(req).await;
    obs.trace = keep(obs, "TRACE", r);

    let mut req = Request::get(landing.clone());
    req.method = "OPTIONS";
    req.headers = vec![
        ("origin".into(), PROBE_ORIGIN.into()),
        ("access-control-request-method".into(), "GET".into()),
    ];
    let r = p.send(req).await;
    obs.cors = keep(obs, "CORS preflight", r);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unscannable_inputs() {
        let o = ProbeOptions {
            max_redirects: 5,
            http_port: None,
            https_port: None,
            django_probes: false,
            legacy_tls: false,
            retries: 0,
            delay: Duration::ZERO,
            budget: Duration::from_secs(1),
        };
        let text = |input: &str| starts(input, &o).err().map(|e| e.to_string());
        assert_eq!(
            text(" ftp://example.com "),
            Some("ftp://example.com: only http and https URLs can be scanned".into())
        );
        assert_eq!(
            text("http://"),
            Some("not a URL: http://: empty host".into())
        );
        assert_eq!(
            SiteUrlError::NoHost { text: "x".into() }.to_string(),
            "x: the URL has no host"
        );
        assert_eq!(text("example.com"), None);
    }
}
