//! Trivial calls, to measure what crossing the boundary costs.

/// A counter whose `bump` is about the cheapest method there is.
pub struct Counter {
    pub hits: u64,
}

impl Counter {
    pub fn new() -> Counter {
        Counter { hits: 0 }
    }

    #[inline(never)]
    pub fn bump(&mut self) -> u64 {
        self.hits += 1;
        self.hits
    }
}

/// A `&str` round trip: in, and a borrowed part of it out.
#[inline(never)]
pub fn first_word(text: &str) -> &str {
    text.split(' ').next().unwrap_or("")
}

/// An owned String round trip: in, changed, out.
#[inline(never)]
pub fn shout(mut text: String) -> String {
    text.push('!');
    text
}
