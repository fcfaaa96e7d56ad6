//! A mod whose system panics on its second tick, and whose handler sums
//! what it reads through a closure.

use engine::{System, World};

struct Clock {
    ticks: u32,
}

impl System for Clock {
    fn name(&self) -> &str {
        "chaos.clock"
    }
    fn update(&mut self, world: &mut World, _dt: f32) {
        self.ticks += 1;
        if self.ticks == 2 {
            panic!("chaos mod: the clock broke at its tick {}", self.ticks);
        }
        world.log(format!("clock ticked {}", self.ticks));
    }
}

impl Drop for Clock {
    fn drop(&mut self) {
        println!("chaos clock dropped after {} ticks", self.ticks);
    }
}

engine::plugin!(|world| {
    world.add_system(Box::new(Clock { ticks: 0 }));
    world.on_event("hit", |w: &mut World, _payload: &str| {
        let mut x = 0.0;
        w.for_each_entity(|_, t| x += t.position.x);
        w.log(format!("chaos summed x = {x}"));
    });
    world.log(String::from("chaos loaded"));
});
