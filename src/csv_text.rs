//! CSV text in and out, with the `csv` crate: the one place heatplan reads
//! and writes CSV.
//!
//! Reading ([`records`]) keeps the line each record starts on so that
//! problems in a file can name their line. RFC 4180: quoted fields with
//! doubled quotes and embedded line breaks; lines end in `\r\n`, `\n` or a
//! lone `\r`; a UTF-8 byte-order mark is skipped (the bytes are decoded
//! before, see [`crate::scenario::encoding`]). Used for the progress ledger
//! and the PSPLIB best-known bounds.
//!
//! Writing ([`Document`]) starts every file with a UTF-8 byte-order mark:
//! Excel opens a UTF-8 CSV correctly only with one (without it, it guesses
//! the ANSI code page and shows Chinese names garbled). Every CSV heatplan
//! writes — plan.csv, ledger.csv, the responsibility lists, variance.csv,
//! compare.csv, the bench results — goes through it.

/// The UTF-8 byte-order mark every CSV file written starts with.
pub const BOM: &str = "\u{feff}";

/// A CSV document being written with the `csv` crate: a field is quoted
/// when it holds a comma, a double quote or a line break (RFC 4180, quotes
/// doubled inside), lines end in `\n`, and rows may differ in length.
#[derive(Debug)]
pub struct Document {
    writer: ::csv::Writer<Vec<u8>>,
}

impl Default for Document {
    fn default() -> Self {
        Document::new()
    }
}

impl Document {
    /// An empty document.
    pub fn new() -> Document {
        Document {
            writer: ::csv::WriterBuilder::new()
                .terminator(::csv::Terminator::Any(b'\n'))
                .flexible(true)
                .from_writer(Vec::new()),
        }
    }

    /// Appends one row.
    pub fn row<I, S>(&mut self, fields: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        self.writer
            .write_record(fields)
            .expect("writing CSV to memory cannot fail");
    }

    /// The document's text, starting with the byte-order mark [`BOM`].
    pub fn finish(self) -> String {
        let bytes = self
            .writer
            .into_inner()
            .expect("writing CSV to memory cannot fail");
        BOM.to_string() + &String::from_utf8(bytes).expect("the fields are UTF-8")
    }
}

/// One record of a CSV file: its fields and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based line number of the record's first character.
    pub line: usize,
    /// Fields, unquoted.
    pub fields: Vec<String>,
}

/// Splits CSV text into records with the `csv` crate. A UTF-8 byte-order
/// mark is skipped and blank lines are dropped; a quoted field that is never
/// closed is an error naming the line its record starts on.
pub fn records(text: &str) -> Result<Vec<Record>, usize> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // A line holding only this character follows the text: read back as a
    // record of its own, it shows that the text closed every quote; an
    // unclosed quoted field runs on to the end and swallows it.
    const END: &str = "\u{1}";
    let input = format!("{text}\n{END}");
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input.as_bytes());
    // A record's position is where the reader stood before it, which may be
    // on the line end of the record before or on blank lines: its line is
    // that of its first character. Lines end in `\n`, `\r\n` or a lone `\r`
    // (as the reader takes them).
    let line_at = |byte: usize| {
        let start = input[byte..]
            .find(|c| c != '\r' && c != '\n')
            .map_or(input.len(), |k| byte + k);
        let before = &input.as_bytes()[..start];
        let lone_cr = before
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\r' && before.get(i + 1) != Some(&b'\n'))
            .count();
        1 + before.iter().filter(|&&b| b == b'\n').count() + lone_cr
    };
    let mut records = Vec::new();
    for result in reader.records() {
        let record = result.map_err(|e| e.position().map_or(1, |p| p.line() as usize))?;
        let byte = record.position().map_or(0, |p| p.byte() as usize);
        records.push(Record {
            line: line_at(byte),
            fields: record.iter().map(str::to_string).collect(),
        });
    }
    match records.pop() {
        Some(last) if last.fields == [END] => {}
        Some(last) => return Err(last.line),
        None => return Err(1),
    }
    records.retain(|r| r.fields.iter().any(|f| !f.trim().is_empty()));
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_csv_starts_with_a_mark_and_reads_back() {
        let mut d = Document::new();
        d.row(["id", "名称"]);
        d.row(["a,1", "热力站"]);
        let text = d.finish();
        assert!(text.starts_with(BOM));
        let r = records(&text).unwrap();
        assert_eq!(r[0].fields, ["id", "名称"]);
        assert_eq!(r[1].fields, ["a,1", "热力站"]);
    }

    #[test]
    fn csv_with_bom_quotes_and_crlf() {
        let text = "\u{feff}a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\r\n\r\n\"two\nlines\",z\n";
        let r = records(text).unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].fields, ["a", "b"]);
        assert_eq!(r[1].fields, ["x,1", "say \"hi\""]);
        assert_eq!((r[2].line, r[2].fields[0].as_str()), (4, "two\nlines"));
        assert_eq!(records("a\n\"open,b\n"), Err(2));
        assert_eq!(records("a\n\nb,\"open\nc\n"), Err(3));
        // Classic Mac line ends (a lone `\r`) and blank records.
        let r = records("h\r\r,,\rx,y").unwrap();
        assert_eq!(
            (r.len(), r[1].line, r[1].fields.clone()),
            (2, 4, vec!["x".to_string(), "y".into()])
        );
    }
}
