//! Configuration resolution (stub).
