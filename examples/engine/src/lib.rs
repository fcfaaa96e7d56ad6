//! A tiny game-engine core: a world of entities with transforms, and the
//! traits games and mods implement. rdylib's bundled example.

pub mod math;
pub mod plugin;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

pub use math::Vec3;
pub use plugin::{gravity, Drift, Handler, System};

/// Identifies an entity in a [`World`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Entity(pub u32);

impl Entity {
    /// Offsets a 128-bit key by this entity's id.
    pub fn key(self, base: u128) -> u128 {
        base + self.0 as u128
    }
}

/// Where an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Transform {
    pub position: Vec3,
    pub scale: f32,
}

/// What went wrong in an engine call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineError {
    NoSuchEntity(Entity),
    Full { capacity: usize },
    /// A mod could not be loaded.
    Plugin(String),
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::NoSuchEntity(e) => write!(f, "no entity {}", e.0),
            EngineError::Full { capacity } => write!(f, "world is full ({capacity} entities)"),
            EngineError::Plugin(why) => write!(f, "cannot load mod {why}"),
        }
    }
}

impl std::error::Error for EngineError {}

/// All entities and their transforms, and the systems and event handlers
/// that games and mods added.
#[derive(Default)]
pub struct World {
    transforms: HashMap<Entity, Transform>,
    next: u32,
    capacity: usize,
    pub name: String,
    systems: Vec<Box<dyn System>>,
    handlers: Vec<(String, Handler)>,
    log: Vec<String>,
    ticks: u64,
}

impl World {
    pub const DEFAULT_CAPACITY: usize = 1024;

    pub fn new(name: &str) -> World {
        World { capacity: Self::DEFAULT_CAPACITY, name: name.to_string(), ..World::default() }
    }

    pub fn spawn(&mut self, t: Transform) -> Result<Entity, EngineError> {
        if self.transforms.len() >= self.capacity {
            return Err(EngineError::Full { capacity: self.capacity });
        }
        let e = Entity(self.next);
        self.next += 1;
        self.transforms.insert(e, t);
        Ok(e)
    }

    /// Spawns an entity at `position` with scale 1.
    ///
    /// # Panics
    /// When the world is full.
    pub fn spawn_at(&mut self, position: Vec3) -> Entity {
        match self.spawn(Transform { position, scale: 1.0 }) {
            Ok(e) => e,
            Err(err) => panic!("cannot spawn: {err}"),
        }
    }

    /// Spawns one entity per position; returns how many were spawned.
    pub fn spawn_many(&mut self, positions: &[Vec3]) -> usize {
        positions.iter().filter(|p| self.spawn(Transform { position: **p, scale: 1.0 }).is_ok()).count()
    }

    /// The smallest and largest corner of all positions.
    pub fn bounds(&self) -> (Vec3, Vec3) {
        let mut lo = Vec3::new(f32::MAX, f32::MAX, f32::MAX);
        let mut hi = Vec3::new(f32::MIN, f32::MIN, f32::MIN);
        for t in self.transforms.values() {
            let p = t.position;
            lo = Vec3::new(lo.x.min(p.x), lo.y.min(p.y), lo.z.min(p.z));
            hi = Vec3::new(hi.x.max(p.x), hi.y.max(p.y), hi.z.max(p.z));
        }
        (lo, hi)
    }

    /// Counts entities within `radius` of `around` (all when None), in a
    /// world named `name` (any when None).
    pub fn count_near(&self, around: Option<Vec3>, radius: f32, name: Option<&str>) -> usize {
        if name.map_or(false, |n| n != self.name) {
            return 0;
        }
        self.transforms
            .values()
            .filter(|t| around.map_or(true, |a| (t.position + a * -1.0).length() <= radius))
            .count()
    }

    /// Removes the given entities; returns how many existed.
    pub fn despawn_all(&mut self, entities: Vec<Entity>) -> usize {
        entities.iter().filter(|e| self.transforms.remove(e).is_some()).count()
    }

    /// A boxed copy of the entity's transform.
    pub fn snapshot(&self, e: Entity) -> Option<Box<Transform>> {
        self.transforms.get(&e).map(|t| Box::new(*t))
    }

    /// The world's name for entity 0, a made-up label for the others.
    pub fn label(&self, e: Entity) -> Cow<'_, str> {
        if e.0 == 0 {
            Cow::Borrowed(&self.name)
        } else {
            Cow::Owned(format!("{}#{}", self.name, e.0))
        }
    }

    /// Parses "name;count" into a world with `count` entities at the origin.
    pub fn load(text: &str) -> Result<World, Box<dyn std::error::Error + Send + Sync>> {
        let (name, count) = text.split_once(';').ok_or("missing ';'")?;
        let count: usize = count.trim().parse().map_err(LoadError)?;
        let mut world = World::new(name);
        for _ in 0..count {
            world.spawn(Transform::default())?;
        }
        Ok(world)
    }

    /// A line describing the entity.
    ///
    /// # Panics
    /// When there is no such entity.
    pub fn describe(&self, e: Entity) -> String {
        match self.transforms.get(&e) {
            Some(t) => format!("entity {} at {}", e.0, t.position),
            None => panic!("no entity {} in world {}", e.0, self.name),
        }
    }

    pub fn transform(&self, e: Entity) -> Option<&Transform> {
        self.transforms.get(&e)
    }

    pub fn transform_mut(&mut self, e: Entity) -> Result<&mut Transform, EngineError> {
        self.transforms.get_mut(&e).ok_or(EngineError::NoSuchEntity(e))
    }

    /// The first letter of the world's name, or '?'.
    pub fn initial(&self) -> char {
        self.name.chars().next().unwrap_or('?')
    }

    pub fn len(&self) -> usize {
        self.transforms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.transforms.is_empty()
    }

    /// Entities sorted by id.
    pub fn entities(&self) -> Vec<Entity> {
        let mut v: Vec<Entity> = self.transforms.keys().copied().collect();
        v.sort();
        v
    }
}

/// Why a world could not be loaded; its source is the parse error.
#[derive(Debug)]
struct LoadError(std::num::ParseIntError);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("bad entity count")
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// Sum and count of the bytes, e.g. of a save file.
pub fn checksum(data: &[u8]) -> (u32, usize) {
    (data.iter().map(|b| *b as u32).sum(), data.len())
}

/// Scales the values in place so the largest is 1.
pub fn normalize(values: &mut [f32]) {
    let max = values.iter().cloned().fold(0.0f32, f32::max);
    if max > 0.0 {
        values.iter_mut().for_each(|v| *v /= max);
    }
}

/// The engine's version, for mods to check.
pub const ENGINE_VERSION: &str = "0.1.0";
