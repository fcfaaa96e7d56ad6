//! A game using the engine through rdylib's facade: the engine's own types,
//! fields and methods, from a library another rustc built.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use engine::{EngineError, Entity, System, Transform, Vec3, World};

fn hash_of<T: Hash>(v: &T) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

fn main() {
    let mut world = World::new("demo");
    let e = world.spawn_at(Vec3::new(1.0, 2.0, 2.0));
    println!("spawned {:?}", e);
    let t: Transform = *world.transform(e).expect("just spawned");
    println!("position {:?}, length {}", t.position, t.position.length());
    println!("display with flags: [{:*^16}] [{:<12}]", t.position, Vec3::new(0.5, 0.0, 1.0));
    println!("describe: {}", world.describe(e));
    println!("entities: {}, empty: {}", world.len(), world.is_empty());
    println!("initial: {}, key: {}", World::new("éclair").initial(), e.key(u128::MAX - 1));

    // Fields are the engine's own, at the engine's offsets.
    let moved = Transform {
        position: Vec3 { x: 3.0, ..t.position },
        scale: 2.0,
    };
    println!("moved: {:?}", moved);
    println!("same entity: {}", Entity(0) == e);
    println!("hash matches u32: {}", hash_of(&Entity(7)) == hash_of(&7u32));

    // Enums with data: returned by the engine, matched and built by the game.
    let spawned = world.spawn(Transform::default()).expect("room for one more");
    match world.transform_mut(Entity(42)) {
        Err(EngineError::NoSuchEntity(Entity(id))) => println!("no entity {id}; spawned {spawned:?}"),
        other => println!("unexpected: {:?}", other.map(|t| *t)),
    }
    let full = EngineError::Full { capacity: 3 };
    println!("error display: {full}; debug: {full:?}; equal: {}", full == full.clone());
    let boxed: Box<dyn std::error::Error> = Box::new(EngineError::NoSuchEntity(Entity(5)));
    println!("as dyn Error: {boxed}");

    // Slices and tuples.
    let more = world.spawn_many(&[Vec3::new(-1.0, 0.0, 5.0), Vec3::new(4.0, 4.0, 0.0)]);
    let (lo, hi) = world.bounds();
    println!("spawned {more} more; bounds {lo} .. {hi}");
    let mut values = [1.0f32, 4.0, 2.0];
    engine::normalize(&mut values);
    println!("checksum {:?}; normalized {:?}", engine::checksum(b"save"), values);

    // Option parameters.
    println!(
        "near origin: {}, all: {}, other world: {}",
        world.count_near(Some(Vec3::new(0.0, 0.0, 0.0)), 3.5, None),
        world.count_near(None, 0.0, Some("demo")),
        world.count_near(None, 0.0, Some("elsewhere"))
    );

    // Owned std values: Vec, Box, Cow, arrays and a boxed error with a source.
    let all = world.entities();
    println!("entities {:?}", all);
    println!("snapshot {:?}", world.snapshot(Entity(0)).map(|b| b.scale));
    println!("labels {} {}", world.label(Entity(0)), world.label(Entity(3)));
    println!("array {:?}", Vec3::from_array([1.0, 2.0, 3.0]).to_array());
    println!("despawned {}, left {}", world.despawn_all(all), world.len());
    match World::load("town;x") {
        Err(e) => println!("load failed: {e} (source: {})", e.source().map(|s| s.to_string()).unwrap_or_default()),
        Ok(w) => println!("loaded {}", w.len()),
    }
    println!("loaded {}", World::load("town; 3").map(|w| w.len()).unwrap_or(0));

    // A panic in the engine reaches the game with its message.
    let caught = std::panic::catch_unwind(|| World::new("other").describe(Entity(99)));
    let message = caught.expect_err("describe must panic");
    let text = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    println!("engine panicked: {text}");

    // The engine as a plugin host, with the mods named on the command line.
    plugin_host(std::env::args().skip(1).collect());
}

/// The game's own system: moves every entity along x, and says when it is
/// dropped, which the engine does when the world goes.
struct Mover {
    speed: f32,
    moved: usize,
}

impl System for Mover {
    fn name(&self) -> &str {
        "game.mover"
    }
    fn update(&mut self, world: &mut World, dt: f32) {
        for e in world.entities() {
            if let Ok(t) = world.transform_mut(e) {
                t.position.x += self.speed * dt;
                self.moved += 1;
            }
        }
        world.log(format!("mover has moved {} times", self.moved));
    }
    // describe() is not overridden: the engine's default body runs.
    fn priority(&self) -> i32 {
        -5
    }
}

impl Drop for Mover {
    fn drop(&mut self) {
        println!("mover dropped after {} moves", self.moved);
    }
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    match (payload.downcast_ref::<String>(), payload.downcast_ref::<&str>()) {
        (Some(s), _) => s.clone(),
        (None, Some(s)) => s.to_string(),
        (None, None) => "(not a string)".to_string(),
    }
}

fn plugin_host(mods: Vec<String>) {
    let mut world = World::new("host");
    world.spawn_at(Vec3::new(0.0, 0.0, 10.0));
    world.add_system(Box::new(Mover { speed: 2.0, moved: 0 }));
    world.add_system(engine::gravity(4.0));
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    world.on_event("hit", move |w, payload| {
        counter.fetch_add(1, Ordering::SeqCst);
        w.log(format!("game saw a hit on {payload}"));
    });
    for path in &mods {
        let file = path.rsplit('/').next().unwrap_or(path);
        match world.load_plugin(path) {
            Ok(()) => println!("loaded mod {file}"),
            Err(e) => println!("mod {file} failed: {e}"),
        }
    }
    println!("systems: {:?}", world.system_names());
    for _ in 0..3 {
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| world.tick(0.5))) {
            println!("tick {} panicked: {}", world.ticks(), panic_text(&*payload));
        }
    }
    println!("hit handlers ran: {}", world.emit("hit", "boss"));
    println!("the game's handler counted {}", hits.load(Ordering::SeqCst));
    for (e, p) in world.positions() {
        println!("{e:?} at {p}");
    }
    let mut scale = 0.0;
    world.for_each_entity(|_, t| scale += t.scale);
    println!("total scale {scale}, ticks {}", world.ticks());
    for line in world.log_lines() {
        println!("log: {line}");
    }
    println!("{world:?}");
    match world.load_plugin("/nonexistent/libnothing.so") {
        Err(EngineError::Plugin(why)) => println!("missing mod refused: {why}"),
        other => println!("unexpected: {other:?}"),
    }
}
