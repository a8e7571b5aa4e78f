//! Slow and greedy clients. A request body must arrive within a deadline (a form in 20 s,
//! a picture upload in 120 s); one that trickles in is cut off there and its connection
//! closed. And one client address may have only so many requests in progress at once: a
//! thousand connections each sending a byte every few seconds get their first few
//! answered and the rest refused at once (429), so they never hold the server's sockets
//! while readers wait.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse};
use bytes::Bytes;
use futures_util::Stream;

/// How long a form's body may take to arrive.
pub const FORM_BODY_DEADLINE: Duration = Duration::from_secs(20);
/// How long an upload (a picture, up to 25 MB) may take.
pub const UPLOAD_BODY_DEADLINE: Duration = Duration::from_secs(120);
/// Requests one address may have in progress at once.
pub const REQUESTS_PER_ADDRESS: usize = 32;

/// Requests in progress per client address, and the deadlines of request bodies; one for
/// all the workers.
#[derive(Debug, Clone)]
pub struct ClientLimits {
    in_flight: InFlight,
    pub form_deadline: Duration,
    pub upload_deadline: Duration,
}

impl ClientLimits {
    pub fn new(form_deadline: Duration, upload_deadline: Duration) -> Self {
        ClientLimits {
            in_flight: InFlight::default(),
            form_deadline,
            upload_deadline,
        }
    }
}

impl Default for ClientLimits {
    fn default() -> Self {
        ClientLimits::new(FORM_BODY_DEADLINE, UPLOAD_BODY_DEADLINE)
    }
}

#[derive(Debug, Default, Clone)]
struct InFlight(Arc<Mutex<HashMap<String, usize>>>);

/// Counts one request of an address while it lives.
struct Slot {
    in_flight: InFlight,
    address: String,
}

impl InFlight {
    fn enter(&self, address: &str) -> Option<Slot> {
        let mut counts = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let count = counts.entry(address.to_owned()).or_default();
        if *count >= REQUESTS_PER_ADDRESS {
            return None;
        }
        *count += 1;
        Some(Slot {
            in_flight: self.clone(),
            address: address.to_owned(),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self
            .in_flight
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = counts.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.address);
            }
        }
    }
}

/// A request body that ends in an error once its deadline has passed.
struct Deadline {
    inner: Payload,
    timer: Pin<Box<tokio::time::Sleep>>,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the request body took too long",
            )))));
        }
        Pin::new(&mut self.inner).poll_next(cx)
    }
}

fn body_deadline(req: &ServiceRequest, limits: &ClientLimits) -> Duration {
    let is_upload = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("multipart/"));
    match is_upload {
        true => limits.upload_deadline,
        false => limits.form_deadline,
    }
}

fn too_many() -> HttpResponse {
    HttpResponse::TooManyRequests()
        .insert_header((header::RETRY_AFTER, "5"))
        .insert_header((header::CONNECTION, "close"))
        .finish()
}

/// The middleware: a slot for the client's address (or 429), and a deadline on the body.
pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, Error> {
    let address = super::client_address::client_address(req.request());
    // Loopback is a proxy or a tool on this machine, not a stranger: uncapped. Behind a
    // trusted proxy the address is the client's own (see `client_address`).
    let local = address
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback());
    let limits = req
        .app_data::<actix_web::web::Data<ClientLimits>>()
        .map(|data| data.get_ref().clone())
        .unwrap_or_default();
    let slot = match local {
        true => None,
        false => match limits.in_flight.enter(&address) {
            Some(slot) => Some(slot),
            None => return Ok(req.into_response(too_many())),
        },
    };
    let deadline = body_deadline(&req, &limits);
    let payload = req.take_payload();
    let limited = Deadline {
        inner: payload,
        timer: Box::pin(tokio::time::sleep(deadline)),
    };
    req.set_payload(Payload::Stream {
        payload: Box::pin(limited),
    });
    let response = next.call(req).await?.map_into_boxed_body();
    drop(slot);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_a_bounded_number_of_slots_back_as_requests_end() {
        let in_flight = InFlight::default();
        let held: Vec<Slot> = (0..REQUESTS_PER_ADDRESS)
            .map(|_| in_flight.enter("6.6.6.6").unwrap())
            .collect();
        assert!(in_flight.enter("6.6.6.6").is_none());
        assert!(in_flight.enter("1.1.1.1").is_some(), "others are served");
        drop(held);
        assert!(in_flight.enter("6.6.6.6").is_some());
        assert_eq!(
            in_flight.0.lock().unwrap().get("6.6.6.6"),
            None,
            "no entry left behind"
        );
    }
}
