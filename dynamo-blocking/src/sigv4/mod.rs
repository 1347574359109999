//! SigV4 request signing (stub).
