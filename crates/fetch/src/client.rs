//! The polite HTTP client: one request at a time, at least
//! [`Config::delay`] apart per host (longer when robots.txt asks with
//! `Crawl-delay`, up to 60 s), robots.txt obeyed and cached per host (for
//! a day),
//! redirects followed by hand (each hop checked against robots.txt and
//! the delay, loops named), conditional GET, time-outs and a body-size cap.

use crate::error::{status_hint, FetchError};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant, SystemTime};
use url::Url;

/// The robots.txt token vanban answers to.
pub const ROBOTS_NAME: &str = "vanban";
/// robots.txt bodies are read up to this size (the rest is ignored).
const ROBOTS_MAX: u64 = 512 * 1024;
/// robots.txt is read again after this long (a long-running watch).
const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);
/// The longest `Crawl-delay` honoured.
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);

/// How the client behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// The `User-Agent` header ([`user_agent`]).
    pub user_agent: String,
    /// The least time between two requests to one host.
    pub delay: Duration,
    /// Connect and read time-out, each.
    pub timeout: Duration,
    /// The longest a whole exchange may take (connecting, redirects
    /// aside, and reading the whole body): a server trickling bytes
    /// slowly is cut off here.
    pub total_timeout: Duration,
    /// The largest body accepted, in bytes (after decompression).
    pub max_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// Obey robots.txt (always, except in tests of the client itself).
    pub robots: bool,
    /// When set, host names resolve from this list only (tests: no lookup
    /// ever leaves the machine); a name not in it is a DNS failure.
    pub resolve_only: Option<Vec<(String, IpAddr)>>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            user_agent: user_agent(None),
            delay: Duration::from_secs(1),
            timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(120),
            max_bytes: 10 * 1024 * 1024,
            max_redirects: 10,
            robots: true,
            resolve_only: None,
        }
    }
}

/// `vanban/<version>`, with `(+CONTACT)` when a contact URL is given.
pub fn user_agent(contact: Option<&str>) -> String {
    let version = env!("CARGO_PKG_VERSION");
    match contact {
        Some(c) if !c.trim().is_empty() => format!("vanban/{version} (+{})", c.trim()),
        _ => format!("vanban/{version}"),
    }
}

/// The conditional-GET validators of a previous fetch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// A body that was fetched.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL as asked for.
    pub requested: String,
    /// The URL after redirects.
    pub url: String,
    pub status: u16,
    pub content_type: Option<String>,
    /// The body as received (decompressed), at most `max_bytes`.
    pub body: Vec<u8>,
    /// This answer's validators, for the next conditional GET.
    pub validators: Validators,
    pub fetched_at: SystemTime,
}

/// What a fetch gave.
#[derive(Debug, Clone)]
pub enum Outcome {
    Fetched(Fetched),
    /// The server answered 304 Not Modified to the conditional GET.
    NotModified {
        requested: String,
        url: String,
    },
}

/// What robots.txt says for one host.
enum Robots {
    AllowAll,
    Rules(Box<texting_robots::Robot>),
    /// robots.txt answered 5xx: nothing of the host is fetched.
    Unavailable(u16),
}

/// The polite client. One per run; not shared between threads.
pub struct Fetcher {
    agent: ureq::Agent,
    config: Config,
    robots: HashMap<String, (Instant, Robots)>,
    delays: HashMap<String, Duration>,
    last: HashMap<String, Instant>,
    requests: u64,
}

struct OnlyResolver(Vec<(String, IpAddr)>);

impl ureq::Resolver for OnlyResolver {
    fn resolve(&self, netloc: &str) -> std::io::Result<Vec<SocketAddr>> {
        let (host, port) = netloc.rsplit_once(':').unwrap_or((netloc, "80"));
        let port: u16 = port.parse().unwrap_or(80);
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let found: Vec<SocketAddr> = self
            .0
            .iter()
            .filter(|(h, _)| h.eq_ignore_ascii_case(host))
            .map(|(_, ip)| SocketAddr::new(*ip, port))
            .collect();
        if found.is_empty() {
            if let Ok(ip) = host.parse::<IpAddr>() {
                return Ok(vec![SocketAddr::new(ip, port)]);
            }
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("no address for {host}"),
            ));
        }
        Ok(found)
    }
}

impl Fetcher {
    pub fn new(config: Config) -> Fetcher {
        let mut builder = ureq::AgentBuilder::new()
            .user_agent(&config.user_agent)
            .timeout_connect(config.timeout)
            .timeout_read(config.timeout)
            .timeout_write(config.timeout)
            .timeout(config.total_timeout.max(config.timeout))
            .redirects(0);
        if let Some(list) = &config.resolve_only {
            builder = builder.resolver(OnlyResolver(list.clone()));
        }
        Fetcher {
            agent: builder.build(),
            config,
            robots: HashMap::new(),
            delays: HashMap::new(),
            last: HashMap::new(),
            requests: 0,
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// HTTP requests sent so far (robots.txt included).
    pub fn requests(&self) -> u64 {
        self.requests
    }

    /// Fetches `url`, sending `validators` (conditional GET) when given.
    pub fn fetch(&mut self, url: &str, validators: &Validators) -> Result<Outcome, FetchError> {
        let mut current = parse_url(url)?;
        let mut seen: HashSet<String> = HashSet::new();
        seen.insert(current.to_string());
        let mut hops = 0u32;
        loop {
            self.check_robots(url, &current)?;
            let mut request = self.agent.request_url("GET", &current);
            if hops == 0 {
                if let Some(etag) = &validators.etag {
                    request = request.set("If-None-Match", etag);
                }
                if let Some(lm) = &validators.last_modified {
                    request = request.set("If-Modified-Since", lm);
                }
            }
            self.wait_turn(&current);
            let answer = request.call();
            self.touch(&current);
            let response = match answer {
                Ok(r) => r,
                Err(ureq::Error::Status(status, r)) => {
                    let retry_after = r.header("Retry-After").map(str::to_string);
                    return Err(FetchError::Status {
                        url: current.to_string(),
                        status,
                        hint: status_hint(status, retry_after.as_deref()),
                        retry_after,
                    });
                }
                Err(ureq::Error::Transport(t)) => {
                    return Err(self.transport_error(current.as_str(), &t))
                }
            };
            let status = response.status();
            if status == 304 {
                return Ok(Outcome::NotModified {
                    requested: url.to_string(),
                    url: current.to_string(),
                });
            }
            if (300..400).contains(&status) {
                let Some(location) = response.header("Location") else {
                    return Err(FetchError::BadRedirect {
                        url: current.to_string(),
                        reason: format!("HTTP {status} without Location"),
                    });
                };
                let next = current
                    .join(location.trim())
                    .map_err(|e| FetchError::BadRedirect {
                        url: current.to_string(),
                        reason: format!("{location}: {e}"),
                    })?;
                if !matches!(next.scheme(), "http" | "https") {
                    return Err(FetchError::BadRedirect {
                        url: current.to_string(),
                        reason: format!("{next} is not http(s)"),
                    });
                }
                if !seen.insert(next.to_string()) {
                    return Err(FetchError::RedirectLoop {
                        url: url.to_string(),
                        to: next.to_string(),
                    });
                }
                hops += 1;
                if hops > self.config.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        url: url.to_string(),
                        limit: self.config.max_redirects,
                    });
                }
                current = next;
                continue;
            }
            let content_type = response.header("Content-Type").map(str::to_string);
            let validators = Validators {
                etag: response.header("ETag").map(str::to_string),
                last_modified: response.header("Last-Modified").map(str::to_string),
            };
            let body = self.read_body(current.as_str(), response, self.config.max_bytes);
            self.touch(&current);
            let body = body?;
            return Ok(Outcome::Fetched(Fetched {
                requested: url.to_string(),
                url: current.to_string(),
                status,
                content_type,
                body,
                validators,
                fetched_at: SystemTime::now(),
            }));
        }
    }

    /// Reads a body, refusing one over `max` bytes.
    fn read_body(
        &self,
        url: &str,
        response: ureq::Response,
        max: u64,
    ) -> Result<Vec<u8>, FetchError> {
        let too_large = || FetchError::TooLarge {
            url: url.to_string(),
            limit: max,
        };
        if let Some(len) = response
            .header("Content-Length")
            .and_then(|l| l.trim().parse::<u64>().ok())
        {
            if len > max && response.header("Content-Encoding").is_none() {
                return Err(too_large());
            }
        }
        let mut body = Vec::new();
        response
            .into_reader()
            .take(max.saturating_add(1))
            .read_to_end(&mut body)
            .map_err(|e| self.io_error(url, &e))?;
        if body.len() as u64 > max {
            return Err(too_large());
        }
        Ok(body)
    }

    /// Sleeps until the host may be asked again (`delay` after the end of
    /// the last exchange), then books the slot.
    fn wait_turn(&mut self, url: &Url) {
        let key = host_key(url);
        let delay = self
            .delays
            .get(&key)
            .copied()
            .unwrap_or(self.config.delay)
            .max(self.config.delay);
        if let Some(last) = self.last.get(&key) {
            let ready = *last + delay;
            let now = Instant::now();
            if ready > now {
                std::thread::sleep(ready - now);
            }
        }
        self.last.insert(key, Instant::now());
        self.requests += 1;
    }

    /// Marks the end of an exchange with the host: the delay counts from
    /// there (so two requests are at least `delay` apart however long an
    /// answer took).
    fn touch(&mut self, url: &Url) {
        self.last.insert(host_key(url), Instant::now());
    }

    /// Fetches and caches the host's robots.txt, then checks `current`.
    fn check_robots(&mut self, requested: &str, current: &Url) -> Result<(), FetchError> {
        if !self.config.robots {
            return Ok(());
        }
        let key = host_key(current);
        let stale = self
            .robots
            .get(&key)
            .is_none_or(|(at, _)| at.elapsed() >= ROBOTS_TTL);
        if stale {
            let robots = self.fetch_robots(current)?;
            self.delays.remove(&key);
            if let Robots::Rules(r) = &robots {
                if let Some(d) = r.delay.filter(|d| d.is_finite() && *d > 0.0) {
                    let d = Duration::from_secs_f32(d.min(MAX_CRAWL_DELAY.as_secs_f32()));
                    self.delays.insert(key.clone(), d);
                }
            }
            self.robots.insert(key.clone(), (Instant::now(), robots));
        }
        match self.robots.get(&key).map(|(_, r)| r) {
            Some(Robots::Rules(r)) if !r.allowed(current.as_str()) => Err(FetchError::Disallowed {
                url: if requested == current.as_str() {
                    requested.to_string()
                } else {
                    format!("{requested} → {current}")
                },
            }),
            Some(Robots::Unavailable(status)) => Err(FetchError::RobotsUnavailable {
                url: requested.to_string(),
                status: *status,
            }),
            _ => Ok(()),
        }
    }

    fn fetch_robots(&mut self, page: &Url) -> Result<Robots, FetchError> {
        let mut robots_url = page.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        robots_url.set_fragment(None);
        self.wait_turn(&robots_url);
        let answer = self.agent.request_url("GET", &robots_url).call();
        self.touch(&robots_url);
        match answer {
            Ok(r) if r.status() == 200 => {
                let body = self.read_body(robots_url.as_str(), r, ROBOTS_MAX);
                self.touch(&robots_url);
                // An over-long or broken robots.txt: read what came.
                let body = body.unwrap_or_default();
                Ok(match texting_robots::Robot::new(ROBOTS_NAME, &body) {
                    Ok(robot) => Robots::Rules(Box::new(robot)),
                    Err(_) => Robots::AllowAll,
                })
            }
            // 3xx (not followed) and 4xx: no rules.
            Ok(_) => Ok(Robots::AllowAll),
            Err(ureq::Error::Status(status, _)) if status >= 500 => Ok(Robots::Unavailable(status)),
            Err(ureq::Error::Status(_, _)) => Ok(Robots::AllowAll),
            // The page itself would fail the same way: name it.
            Err(ureq::Error::Transport(t)) => Err(self.transport_error(page.as_str(), &t)),
        }
    }

    fn transport_error(&self, url: &str, t: &ureq::Transport) -> FetchError {
        use ureq::ErrorKind as K;
        let io = std::error::Error::source(t).and_then(|s| s.downcast_ref::<std::io::Error>());
        let reason = || match io {
            Some(e) => e.to_string(),
            None => t.message().map_or_else(|| t.to_string(), str::to_string),
        };
        match t.kind() {
            K::Dns => FetchError::Dns {
                url: url.to_string(),
                host: Url::parse(url)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_string))
                    .unwrap_or_default(),
                reason: reason(),
            },
            K::InvalidUrl | K::UnknownScheme => FetchError::InvalidUrl {
                url: url.to_string(),
                reason: reason(),
            },
            K::BadStatus | K::BadHeader => FetchError::Protocol {
                url: url.to_string(),
                reason: t.message().map_or_else(|| t.to_string(), str::to_string),
            },
            _ => match io {
                Some(e) => self.io_error(url, e),
                None if t.kind() == K::ConnectionFailed => FetchError::Connect {
                    url: url.to_string(),
                    reason: reason(),
                },
                None => FetchError::Io {
                    url: url.to_string(),
                    reason: reason(),
                },
            },
        }
    }

    fn io_error(&self, url: &str, e: &std::io::Error) -> FetchError {
        use std::io::ErrorKind as K;
        let https = url.starts_with("https:");
        match e.kind() {
            K::ConnectionRefused => FetchError::Refused {
                url: url.to_string(),
            },
            K::TimedOut | K::WouldBlock => FetchError::Timeout {
                url: url.to_string(),
                seconds: self.config.timeout.as_secs().max(1),
                total: self.config.total_timeout.as_secs().max(1),
            },
            K::InvalidData if https => FetchError::Tls {
                url: url.to_string(),
                reason: e.to_string(),
            },
            K::InvalidData if e.to_string().contains("too big") => FetchError::TooLarge {
                url: url.to_string(),
                limit: self.config.max_bytes,
            },
            _ if https && looks_like_tls(&e.to_string()) => FetchError::Tls {
                url: url.to_string(),
                reason: e.to_string(),
            },
            K::HostUnreachable | K::NetworkUnreachable | K::AddrNotAvailable => {
                FetchError::Connect {
                    url: url.to_string(),
                    reason: e.to_string(),
                }
            }
            _ => FetchError::Io {
                url: url.to_string(),
                reason: e.to_string(),
            },
        }
    }
}

fn looks_like_tls(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "tls",
        "certificate",
        "handshake",
        "received corrupt message",
        "alert",
    ]
    .iter()
    .any(|k| m.contains(k))
}

/// Parses a URL given by the user: http(s) only.
pub fn parse_url(url: &str) -> Result<Url, FetchError> {
    let parsed = Url::parse(url.trim()).map_err(|e| FetchError::InvalidUrl {
        url: url.to_string(),
        reason: e.to_string(),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(FetchError::InvalidUrl {
            url: url.to_string(),
            reason: format!("scheme {}: not http or https", parsed.scheme()),
        });
    }
    Ok(parsed)
}

/// Politeness and robots.txt are per scheme, host and port.
fn host_key(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_names_vanban_and_contact() {
        assert!(user_agent(None).starts_with("vanban/"));
        assert!(user_agent(Some("https://vanban.example/lien-he"))
            .ends_with("(+https://vanban.example/lien-he)"));
    }

    #[test]
    fn only_http_urls() {
        assert!(matches!(
            parse_url("ftp://x/"),
            Err(FetchError::InvalidUrl { .. })
        ));
        assert!(matches!(
            parse_url("không phải url"),
            Err(FetchError::InvalidUrl { .. })
        ));
        assert!(parse_url("http://127.0.0.1:9/a").is_ok());
    }

    #[test]
    fn a_name_outside_the_list_is_a_dns_failure() {
        let mut f = Fetcher::new(Config {
            resolve_only: Some(vec![]),
            delay: Duration::ZERO,
            ..Config::default()
        });
        let e = f.fetch("http://khong-ton-tai.invalid/", &Validators::default());
        assert!(
            matches!(e, Err(FetchError::Dns { ref host, .. }) if host == "khong-ton-tai.invalid"),
            "{e:?}"
        );
    }

    #[test]
    fn refused_is_named() {
        // Bind then drop: nothing listens on that port any more.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or(9);
        let mut f = Fetcher::new(Config {
            delay: Duration::ZERO,
            ..Config::default()
        });
        let e = f.fetch(&format!("http://127.0.0.1:{port}/"), &Validators::default());
        assert!(matches!(e, Err(FetchError::Refused { .. })), "{e:?}");
    }
}
