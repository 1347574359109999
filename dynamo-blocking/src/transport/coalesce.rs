//! One write per request.
//!
//! ureq writes the request head and the body with two separate socket
//! writes, so with `TCP_NODELAY` (which ureq sets) every small DynamoDB
//! request leaves as two TCP segments, or two TLS records over HTTPS: twice
//! the kernel work and an extra wake-up of the server. [`Coalescing`] wraps
//! whatever transport the connector chain before it built (TCP, TLS,
//! proxies) and holds the head back until the first body chunk, then sends
//! both in one write. Requests without a body, or whose first chunk does not
//! fit beside the head, send the head on its own as before.
//!
//! This uses ureq's `unversioned` transport API, which ureq exempts from
//! semver: the `ureq` requirement is pinned to a minor version for that.

use std::fmt;

use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};
use ureq::Error;

/// The last link of the connector chain: wraps the finished transport.
#[derive(Debug)]
pub(crate) struct CoalescingConnector;

impl<In: Transport> Connector<In> for CoalescingConnector {
    type Out = Coalescing<In>;

    fn connect(
        &self,
        _details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, Error> {
        Ok(chained.map(Coalescing::new))
    }
}

/// A head larger than this is sent at once rather than copied aside (heads
/// of DynamoDB requests are well under 2 KB).
const MAX_HELD: usize = 16 * 1024;

/// A transport that sends a request's head together with its body.
pub(crate) struct Coalescing<T> {
    inner: T,
    /// The head, held back until the body comes.
    held: Vec<u8>,
    /// Whether the next write starts a request (nothing sent since the
    /// last answer was read).
    at_request_start: bool,
}

impl<T: Transport> Coalescing<T> {
    pub(crate) fn new(inner: T) -> Self {
        Coalescing {
            inner,
            held: Vec::new(),
            at_request_start: true,
        }
    }

    /// Sends whatever is held, in output-buffer-sized writes.
    fn flush(&mut self, timeout: NextTimeout) -> Result<(), Error> {
        let mut start = 0;
        while start < self.held.len() {
            let output = self.inner.buffers().output();
            let n = (self.held.len() - start).min(output.len());
            output[..n].copy_from_slice(&self.held[start..start + n]);
            self.inner.transmit_output(n, timeout)?;
            start += n;
        }
        self.held.clear();
        Ok(())
    }
}

impl<T: Transport> Transport for Coalescing<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        if self.at_request_start && self.held.is_empty() && amount <= MAX_HELD {
            // The head: keep it until the body (or a read) comes.
            self.at_request_start = false;
            let head = &self.inner.buffers().output()[..amount];
            self.held.extend_from_slice(head);
            return Ok(());
        }
        self.at_request_start = false;
        if self.held.is_empty() {
            return self.inner.transmit_output(amount, timeout);
        }
        let held = self.held.len();
        let output = self.inner.buffers().output();
        if held + amount <= output.len() {
            // Shift the chunk right and put the head in front of it.
            output.copy_within(..amount, held);
            output[..held].copy_from_slice(&self.held);
            self.held.clear();
            self.inner.transmit_output(held + amount, timeout)
        } else {
            // No room beside the chunk: head first, then the chunk.
            let chunk = output[..amount].to_vec();
            self.flush(timeout)?;
            self.inner.buffers().output()[..amount].copy_from_slice(&chunk);
            self.inner.transmit_output(amount, timeout)
        }
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        self.flush(timeout)?;
        self.at_request_start = true;
        self.inner.maybe_await_input(timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        self.flush(timeout)?;
        self.at_request_start = true;
        self.inner.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

impl<T: fmt::Debug> fmt::Debug for Coalescing<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The held head carries the Authorization header: length only.
        f.debug_struct("Coalescing")
            .field("inner", &self.inner)
            .field("held_bytes", &self.held.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use ureq::unversioned::transport::time::Duration;
    use ureq::unversioned::transport::LazyBuffers;
    use ureq::Timeout;

    use super::*;

    /// Records every write it is asked to make.
    #[derive(Debug)]
    struct Recorder {
        buffers: LazyBuffers,
        writes: Vec<Vec<u8>>,
        reads: usize,
    }

    impl Transport for Recorder {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }
        fn transmit_output(&mut self, amount: usize, _: NextTimeout) -> Result<(), Error> {
            let out = self.buffers.output()[..amount].to_vec();
            self.writes.push(out);
            Ok(())
        }
        fn await_input(&mut self, _: NextTimeout) -> Result<bool, Error> {
            self.reads += 1;
            Ok(true)
        }
        fn is_open(&mut self) -> bool {
            true
        }
    }

    fn timeout() -> NextTimeout {
        NextTimeout {
            after: Duration::Exact(std::time::Duration::from_secs(1)),
            reason: Timeout::SendBody,
            per_read: None,
            per_write: None,
        }
    }

    fn transport(output: usize) -> Coalescing<Recorder> {
        Coalescing::new(Recorder {
            buffers: LazyBuffers::new(64, output),
            writes: Vec::new(),
            reads: 0,
        })
    }

    /// Writes `data` into the output buffer and transmits it, as ureq does.
    fn send(t: &mut Coalescing<Recorder>, data: &[u8]) {
        t.buffers().output()[..data.len()].copy_from_slice(data);
        t.transmit_output(data.len(), timeout()).unwrap();
    }

    #[test]
    fn head_and_body_leave_in_one_write() {
        let mut t = transport(1024);
        for _ in 0..2 {
            send(&mut t, b"POST / HTTP/1.1\r\n\r\n");
            assert!(t.inner.writes.is_empty(), "the head is held");
            send(&mut t, b"{\"TableName\":\"t\"}");
            t.maybe_await_input(timeout()).unwrap();
            let last = t.inner.writes.pop().unwrap();
            assert_eq!(last, b"POST / HTTP/1.1\r\n\r\n{\"TableName\":\"t\"}");
            assert!(t.inner.writes.is_empty());
        }
    }

    #[test]
    fn a_head_without_body_is_sent_before_reading() {
        let mut t = transport(1024);
        send(&mut t, b"GET / HTTP/1.1\r\n\r\n");
        assert!(t.inner.writes.is_empty());
        t.await_input(timeout()).unwrap();
        assert_eq!(t.inner.writes, vec![b"GET / HTTP/1.1\r\n\r\n".to_vec()]);
        assert_eq!(t.inner.reads, 1);
    }

    #[test]
    fn a_large_body_follows_the_head_in_order() {
        let mut t = transport(32);
        send(&mut t, b"POST / HTTP/1.1\r\n\r\n");
        send(&mut t, &[b'a'; 32]);
        send(&mut t, &[b'b'; 10]);
        t.maybe_await_input(timeout()).unwrap();
        let all: Vec<u8> = t.inner.writes.concat();
        let mut expected = b"POST / HTTP/1.1\r\n\r\n".to_vec();
        expected.extend_from_slice(&[b'a'; 32]);
        expected.extend_from_slice(&[b'b'; 10]);
        assert_eq!(all, expected);
        assert!(t.inner.writes.iter().all(|w| w.len() <= 32));
    }
}
