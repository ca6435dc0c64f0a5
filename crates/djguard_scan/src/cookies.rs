//! `Set-Cookie` headers (parsed with the `cookie` crate) judged the way browsers apply them:
//! Secure, HttpOnly, SameSite (an unset one is Lax in current browsers, but `None` needs
//! Secure), the Domain scope, and the `__Host-` / `__Secure-` prefix rules.

use cookie::{Cookie, SameSite};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCookie {
    pub name: String,
    pub value: String,
    pub secure: bool,
    pub http_only: bool,
    /// `None` when the header does not say.
    pub same_site: Option<String>,
    pub domain: Option<String>,
    pub path: Option<String>,
}

/// Parse one `Set-Cookie` value; `None` when it has no `name=value` pair.
pub fn parse(header: &str) -> Option<SetCookie> {
    let c = Cookie::parse(header.to_string()).ok()?;
    Some(SetCookie {
        name: c.name().to_string(),
        value: c.value().to_string(),
        secure: c.secure().unwrap_or(false),
        http_only: c.http_only().unwrap_or(false),
        same_site: c.same_site().map(|s| match s {
            SameSite::Strict => "Strict".to_string(),
            SameSite::Lax => "Lax".to_string(),
            SameSite::None => "None".to_string(),
        }),
        domain: c.domain().map(str::to_string),
        path: c.path().map(str::to_string),
    })
}

impl SetCookie {
    /// Rules a browser enforces that this cookie breaks: it will be dropped.
    pub fn rejected_because(&self) -> Option<String> {
        if self.name.starts_with("__Host-") {
            if !self.secure || self.domain.is_some() || self.path.as_deref() != Some("/") {
                return Some(format!(
                    "{}: a __Host- cookie must be Secure, have Path=/ and no Domain",
                    self.name
                ));
            }
        } else if self.name.starts_with("__Secure-") && !self.secure {
            return Some(format!("{}: a __Secure- cookie must be Secure", self.name));
        }
        if self.same_site.as_deref() == Some("None") && !self.secure {
            return Some(format!(
                "{}: SameSite=None without Secure is rejected by browsers",
                self.name
            ));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn django_cookies() {
        let c = parse("sessionid=abc; expires=Sun, 06 Dec 2026 01:07:54 GMT; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax").unwrap();
        assert_eq!(c.name, "sessionid");
        assert!(c.http_only && !c.secure);
        assert_eq!(c.same_site.as_deref(), Some("Lax"));
        assert_eq!(c.rejected_because(), None);
        let c = parse("csrftoken=x; Path=/; SameSite=None").unwrap();
        assert!(c.rejected_because().unwrap().contains("SameSite=None"));
        let c = parse("__Host-id=1; Secure; Path=/; Domain=example.com").unwrap();
        assert!(c.rejected_because().is_some());
        assert!(
            parse("__Host-id=1; Secure; Path=/")
                .unwrap()
                .rejected_because()
                .is_none()
        );
        assert!(parse("no-equals-sign").is_none());
    }
}
