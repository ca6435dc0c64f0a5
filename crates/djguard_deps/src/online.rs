//! `--online`: ask the OSV API which advisories affect the exact versions found
//! (`/v1/querybatch`, up to 1,000 queries per request), then fetch each advisory once
//! (`/v1/vulns/ID`). Ranges are not sent (OSV cannot answer for them); their packages'
//! records come through the same per-id fetch of what any pinned version returned.

use std::collections::BTreeSet;
use std::time::Duration;

use serde::Deserialize;

use super::osv;

const BATCH: usize = 1000;
/// At most this many advisories are fetched in one run.
const MAX_FETCH: usize = 5000;

#[derive(Deserialize)]
struct BatchResponse {
    #[serde(default)]
    results: Vec<BatchResult>,
}

#[derive(Deserialize)]
struct BatchResult {
    #[serde(default)]
    vulns: Vec<VulnRef>,
}

#[derive(Deserialize)]
struct VulnRef {
    id: String,
}

/// Why `--online` gave up. An advisory the API does not serve or that does not parse is
/// an entry in the database's errors instead, and the run goes on.
#[derive(Debug, thiserror::Error)]
pub enum OnlineError {
    /// The request failed or its answer could not be read (connection, TLS, timeout, size).
    #[error(transparent)]
    Request(#[from] ureq::Error),
    /// `/v1/querybatch` answered with another status than 200.
    #[error("querybatch: HTTP {status}")]
    BatchStatus { status: u16 },
    /// `/v1/querybatch` answered 200 with something other than its JSON.
    #[error("querybatch: unexpected answer ({0})")]
    BatchAnswer(#[source] serde_json::Error),
}

/// Query `api` for `(name, version)` pairs; add the advisories to `db`.
pub fn query(
    api: &str,
    timeout: Duration,
    pairs: &[(String, String)],
    db: &mut osv::Database,
) -> Result<usize, OnlineError> {
    let agent = super::db::agent(timeout);
    let api = api.trim_end_matches('/');
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for chunk in pairs.chunks(BATCH) {
        let queries: Vec<serde_json::Value> = chunk
            .iter()
            .map(|(name, version)| serde_json::json!({"package": {"name": name, "ecosystem": "PyPI"}, "version": version}))
            .collect();
        let body = serde_json::json!({ "queries": queries }).to_string();
        let resp = agent
            .post(&format!("{api}/v1/querybatch"))
            .header("Content-Type", "application/json")
            .send(body.as_str())?;
        if resp.status().as_u16() != 200 {
            return Err(OnlineError::BatchStatus {
                status: resp.status().as_u16(),
            });
        }
        let bytes = resp
            .into_body()
            .into_with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()?;
        let parsed: BatchResponse =
            serde_json::from_slice(&bytes).map_err(OnlineError::BatchAnswer)?;
        for r in parsed.results {
            ids.extend(r.vulns.into_iter().map(|v| v.id));
        }
    }
    let mut fetched = 0;
    for id in ids.iter().take(MAX_FETCH) {
        if id.contains(['/', '?', '#']) {
            continue;
        }
        let resp = agent.get(&format!("{api}/v1/vulns/{id}")).call()?;
        if resp.status().as_u16() != 200 {
            db.errors.push(super::DepError {
                path: format!("{api}/v1/vulns/{id}"),
                line: None,
                message: format!("HTTP {}", resp.status().as_u16()),
            });
            continue;
        }
        let bytes = resp
            .into_body()
            .into_with_config()
            .limit(8 * 1024 * 1024)
            .read_to_vec()?;
        match osv::parse_document(&format!("{id}.json"), &bytes) {
            Ok(records) => {
                for r in records {
                    let mut notes = Vec::new();
                    if let Some(a) = osv::convert(r, "OSV API", &mut notes) {
                        db.add(a);
                        fetched += 1;
                    }
                    db.notes.extend(notes);
                }
            }
            Err(e) => db.errors.push(super::DepError {
                path: format!("{api}/v1/vulns/{id}"),
                line: None,
                message: e.to_string(),
            }),
        }
    }
    Ok(fetched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages() {
        assert_eq!(
            OnlineError::BatchStatus { status: 429 }.to_string(),
            "querybatch: HTTP 429"
        );
        let json = || serde_json::from_slice::<serde_json::Value>(b"<html>").unwrap_err();
        assert_eq!(
            OnlineError::BatchAnswer(json()).to_string(),
            format!("querybatch: unexpected answer ({})", json())
        );
    }
}
