//! Buffered stdout for results: one JSON document per line.
//!
//! Write errors end the command: a closed pipe (`dynamo dump t | head`)
//! quietly, anything else with status 2. Nothing here panics, unlike
//! `println!` on a closed pipe.

use std::io::{BufWriter, StdoutLock, Write};

use dynamo_blocking::Attributes;

use crate::args::Failure;
use crate::convert::{item_to_line, OutputFormat};

pub struct Out {
    writer: BufWriter<StdoutLock<'static>>,
}

impl Out {
    pub fn new() -> Out {
        Out {
            writer: BufWriter::with_capacity(64 * 1024, std::io::stdout().lock()),
        }
    }

    /// Writes `text` and a newline.
    pub fn line(&mut self, text: &str) -> Result<(), Failure> {
        self.writer
            .write_all(text.as_bytes())
            .and_then(|()| self.writer.write_all(b"\n"))
            .map_err(Failure::output)
    }

    /// Writes an item as one JSON line.
    pub fn item(&mut self, item: &Attributes, format: OutputFormat) -> Result<(), Failure> {
        self.line(&item_to_line(item, format))
    }

    /// Writes out what is buffered, to go on writing after.
    pub fn flush(&mut self) -> Result<(), Failure> {
        self.writer.flush().map_err(Failure::output)
    }

    /// Flushes what is buffered.
    pub fn finish(mut self) -> Result<(), Failure> {
        self.writer.flush().map_err(Failure::output)
    }
}
