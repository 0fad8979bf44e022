//! `--shard I/N`: a deterministic split of the fleet between N runners by
//! workspace id. The shard of a workspace depends only on its id and N (a
//! SHA-256 of the id, not Rust's randomised hasher), so adding a workspace
//! never moves another one to a different shard, and every runner computes
//! the same split without talking to the others.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// Runner `index` (0-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    pub fn new(index: u32, count: u32) -> Result<Shard, ParseShardError> {
        if count == 0 || index >= count {
            return Err(ParseShardError(format!("{index}/{count}")));
        }
        Ok(Shard { index, count })
    }

    /// Whether this shard owns the workspace with this id.
    pub fn owns(&self, workspace_id: &str) -> bool {
        shard_of(workspace_id, self.count) == self.index
    }
}

/// The shard (0-based) of an id among `count` shards.
pub fn shard_of(workspace_id: &str, count: u32) -> u32 {
    let digest = Sha256::digest(workspace_id.as_bytes());
    let mut head = [0u8; 8];
    head.copy_from_slice(&digest[..8]);
    let bucket = u64::from_be_bytes(head) % u64::from(count.max(1));
    // `bucket < count <= u32::MAX`, so this cannot fail.
    u32::try_from(bucket).unwrap_or(0)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a shard; expected `I/N` with 0 <= I < N, e.g. `0/4`")]
pub struct ParseShardError(String);

impl FromStr for Shard {
    type Err = ParseShardError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ParseShardError(s.to_owned());
        let (index, count) = s.split_once('/').ok_or_else(bad)?;
        let index = index.trim().parse().map_err(|_| bad())?;
        let count = count.trim().parse().map_err(|_| bad())?;
        Shard::new(index, count).map_err(|_| bad())
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLDEN: [u32; 5] = [0, 3, 3, 1, 1];

    #[test]
    fn parses() {
        assert_eq!("1/3".parse(), Ok(Shard { index: 1, count: 3 }));
        for bad in ["3/3", "0/0", "1", "a/b", "-1/2", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_id_has_exactly_one_shard() {
        let ids: Vec<String> = (0..1000).map(|i| format!("ws-{i}")).collect();
        for count in [1, 2, 3, 7] {
            let mut sizes = vec![0usize; count as usize];
            for id in &ids {
                let owners: Vec<u32> = (0..count)
                    .filter(|&i| Shard::new(i, count).is_ok_and(|s| s.owns(id)))
                    .collect();
                assert_eq!(owners.len(), 1, "{id} in {count} shards");
                sizes[owners[0] as usize] += 1;
            }
            // A fair split: no shard more than 25% off the mean for 1000 ids.
            let mean = 1000 / count as usize;
            assert!(
                sizes.iter().all(|&n| n.abs_diff(mean) <= mean / 4 + 5),
                "{sizes:?}"
            );
        }
    }

    #[test]
    fn the_assignment_is_pinned() {
        // The split must not change between wsdb versions: runners of
        // different versions in one rollout must agree. Changing the hash is
        // a breaking change of `--shard`.
        let pinned: Vec<u32> = ["acme", "globex", "initech", "42", "ws-0"]
            .iter()
            .map(|id| shard_of(id, 4))
            .collect();
        assert_eq!(pinned, GOLDEN);
    }
}
