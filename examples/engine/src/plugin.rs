//! The engine as a plugin host: systems and event handlers that games and
//! mods add to a World, and mods loaded at runtime from shared libraries.

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::fmt;

use crate::{EngineError, Entity, Transform, Vec3, World};

/// Game logic that runs every tick; games and mods implement it.
pub trait System: Send {
    /// The name shown in the world's log.
    fn name(&self) -> &str;
    /// Runs once per tick, in priority order.
    fn update(&mut self, world: &mut World, dt: f32);
    /// Lower runs first.
    fn priority(&self) -> i32 {
        0
    }
    /// One line for listings; by default the name and the priority.
    fn describe(&self) -> String {
        format!("{} (priority {})", self.name(), self.priority())
    }
}

/// An event handler: gets the world and the event's payload.
pub type Handler = Box<dyn FnMut(&mut World, &str) + Send>;

/// Moves every entity by a fixed velocity.
pub struct Drift {
    pub velocity: Vec3,
}

impl System for Drift {
    fn name(&self) -> &str {
        "drift"
    }
    fn update(&mut self, world: &mut World, dt: f32) {
        for e in world.entities() {
            if let Ok(t) = world.transform_mut(e) {
                t.position = t.position + self.velocity * dt;
            }
        }
    }
}

/// Pulls every entity down by `strength * dt`, never below 0.
struct Gravity {
    strength: f32,
}

impl System for Gravity {
    fn name(&self) -> &str {
        "gravity"
    }
    fn update(&mut self, world: &mut World, dt: f32) {
        let fall = self.strength * dt;
        for e in world.entities() {
            if let Ok(t) = world.transform_mut(e) {
                t.position.z = (t.position.z - fall).max(0.0);
            }
        }
    }
    fn priority(&self) -> i32 {
        10
    }
}

/// The engine's own gravity system, for games to add.
pub fn gravity(strength: f32) -> Box<dyn System> {
    Box::new(Gravity { strength })
}

impl World {
    /// Adds a system; systems run by priority, then in the order added.
    pub fn add_system(&mut self, system: Box<dyn System>) {
        let at = self.systems.partition_point(|s| s.priority() <= system.priority());
        self.systems.insert(at, system);
    }

    /// Each system's `describe()`, in run order.
    pub fn system_names(&self) -> Vec<String> {
        self.systems.iter().map(|s| s.describe()).collect()
    }

    /// Runs every system once. A system that panics stops the tick; the
    /// panic reaches the caller and the world keeps all its systems.
    pub fn tick(&mut self, dt: f32) {
        self.ticks += 1;
        let mut systems = Restore::new(self, |w| &mut w.systems);
        for i in 0..systems.taken.len() {
            let world = unsafe { &mut *systems.world };
            systems.taken[i].update(world, dt);
        }
    }

    /// How many ticks have started.
    pub fn ticks(&self) -> u64 {
        self.ticks
    }

    /// Calls `handler` with every payload of `event` emitted from now on.
    pub fn on_event<F>(&mut self, event: &str, handler: F)
    where
        F: FnMut(&mut World, &str) + Send + 'static,
    {
        self.handlers.push((event.to_string(), Box::new(handler)));
    }

    /// Runs the handlers of `event`; returns how many ran.
    pub fn emit(&mut self, event: &str, payload: &str) -> usize {
        let mut handlers = Restore::new(self, |w| &mut w.handlers);
        let mut ran = 0;
        for i in 0..handlers.taken.len() {
            if handlers.taken[i].0 == event {
                let world = unsafe { &mut *handlers.world };
                (handlers.taken[i].1)(world, payload);
                ran += 1;
            }
        }
        ran
    }

    /// Appends a line to the world's log.
    pub fn log(&mut self, line: impl Into<String>) {
        let line = line.into();
        self.log.push(line);
    }

    /// The log, oldest first.
    pub fn log_lines(&self) -> impl Iterator<Item = &str> + '_ {
        self.log.iter().map(|s| s.as_str())
    }

    /// Every entity with its position, by id.
    pub fn positions(&self) -> impl Iterator<Item = (Entity, Vec3)> + '_ {
        self.entities().into_iter().map(move |e| (e, self.transforms[&e].position))
    }

    /// Calls `f` for every entity, by id.
    pub fn for_each_entity(&self, mut f: impl FnMut(Entity, &Transform)) {
        for e in self.entities() {
            f(e, &self.transforms[&e]);
        }
    }

    /// Loads the mod at `path` (a shared library) and runs its
    /// registration, which adds its systems and handlers to this world.
    /// Mods stay loaded until the process exits.
    pub fn load_plugin(&mut self, path: &str) -> Result<(), EngineError> {
        let fail = |why: String| EngineError::Plugin(format!("{path}: {why}"));
        let c_path = CString::new(path).map_err(|_| fail("path holds a NUL byte".into()))?;
        let entry = CString::new(PLUGIN_ENTRY).expect("no NUL in the entry's name");
        // SAFETY: dlopen and dlsym are given valid C strings; the symbol,
        // when present, has the type `plugin!` gives it.
        unsafe {
            let lib = dlopen(c_path.as_ptr(), RTLD_NOW | RTLD_LOCAL);
            if lib.is_null() {
                // dlerror's text names the path already.
                return Err(EngineError::Plugin(dl_error()));
            }
            let sym = dlsym(lib, entry.as_ptr());
            if sym.is_null() {
                return Err(fail(format!("no `{PLUGIN_ENTRY}`: was it built with engine::plugin!?")));
            }
            let register: extern "C" fn(*mut c_void) -> c_int = std::mem::transmute(sym);
            match register(self as *mut World as *mut c_void) {
                0 => Ok(()),
                _ => Err(fail("its registration panicked".into())),
            }
        }
    }
}

/// The symbol a mod exports; `plugin!` writes it.
pub const PLUGIN_ENTRY: &str = "engine_plugin_register";

/// Declares a mod's registration function, called with the world that
/// loads it: `engine::plugin!(|world| { world.add_system(...); });`
#[macro_export]
macro_rules! plugin {
    ($register:expr) => {
        #[no_mangle]
        pub extern "C" fn engine_plugin_register(world: *mut ::std::ffi::c_void) -> ::std::ffi::c_int {
            let register: fn(&mut $crate::World) = $register;
            // SAFETY: the engine passes the world that is loading this mod.
            let world = unsafe { &mut *(world as *mut $crate::World) };
            match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| register(world))) {
                Ok(()) => 0,
                Err(_) => 1,
            }
        }
    };
}

/// Takes a list out of the world for the length of a loop that also needs
/// the world, and puts it back when dropped, even while a panic unwinds.
/// Items added to the world's list meanwhile are kept after the taken ones.
struct Restore<T> {
    world: *mut World,
    field: fn(&mut World) -> &mut Vec<T>,
    taken: Vec<T>,
}

impl<T> Restore<T> {
    fn new(world: &mut World, field: fn(&mut World) -> &mut Vec<T>) -> Restore<T> {
        let taken = std::mem::take(field(world));
        Restore { world, field, taken }
    }
}

impl<T> Drop for Restore<T> {
    fn drop(&mut self) {
        // SAFETY: the world outlives this guard, which only its methods make.
        let list = (self.field)(unsafe { &mut *self.world });
        let added = std::mem::take(list);
        *list = std::mem::take(&mut self.taken);
        list.extend(added);
    }
}

impl fmt::Debug for World {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("World")
            .field("name", &self.name)
            .field("entities", &self.transforms.len())
            .field("systems", &self.systems.iter().map(|s| s.name()).collect::<Vec<_>>())
            .field("handlers", &self.handlers.len())
            .finish()
    }
}

const RTLD_NOW: c_int = 2;
const RTLD_LOCAL: c_int = 0;

extern "C" {
    fn dlopen(filename: *const c_char, flag: c_int) -> *mut c_void;
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
    fn dlerror() -> *const c_char;
}

fn dl_error() -> String {
    // SAFETY: dlerror returns null or a valid C string.
    let text = unsafe { dlerror() };
    if text.is_null() {
        return "unknown dlopen error".to_string();
    }
    unsafe { CStr::from_ptr(text) }.to_string_lossy().into_owned()
}
