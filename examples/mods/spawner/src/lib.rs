//! A mod that spawns an entity every tick and counts entities on hits.

use engine::{System, Vec3, World};

struct Rain {
    dropped: u32,
}

impl System for Rain {
    fn name(&self) -> &str {
        "spawner.rain"
    }
    fn update(&mut self, world: &mut World, _dt: f32) {
        self.dropped += 1;
        let e = world.spawn_at(Vec3::new(self.dropped as f32, 0.0, 5.0));
        world.log(format!("rain dropped {e:?}"));
    }
    fn priority(&self) -> i32 {
        1
    }
    fn describe(&self) -> String {
        format!("{}: one entity per tick", self.name())
    }
}

engine::plugin!(|world| {
    world.add_system(Box::new(Rain { dropped: 0 }));
    world.on_event("hit", |w: &mut World, payload: &str| {
        let high = w.positions().filter(|(_, p)| p.z > 1.0).count();
        w.log(format!("spawner saw a hit on {payload}: {high} entities above 1"));
    });
    world.log("spawner loaded");
});
