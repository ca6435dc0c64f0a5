//! Typed indices into the code index's tables: a file, a function and a class each have their
//! own id type, so `funcs[class_id]` does not compile. The tables are plain vectors indexed
//! only by their own id (the role `IndexVec` plays in Ruff; a dozen lines do not justify a
//! dependency on Ruff's unpublished index crate).

use std::marker::PhantomData;

/// An id made from a position in its table.
pub trait Id: Copy {
    fn new(index: usize) -> Self;
    fn index(self) -> usize;
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);

        impl Id for $name {
            fn new(index: usize) -> Self {
                // A project has far fewer than 4 billion files, functions or classes; the
                // tables are filled from parsed source, each entry several bytes of text.
                $name(u32::try_from(index).unwrap_or(u32::MAX))
            }

            fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// A Python file of the project, in the order the project model lists them.
    FileId
);
id_type!(
    /// A function or method definition.
    FuncId
);
id_type!(
    /// A class definition.
    ClassId
);

/// A vector indexed by one id type.
pub struct Table<I, T> {
    items: Vec<T>,
    _id: PhantomData<fn(I) -> I>,
}

impl<I: Id, T> Default for Table<I, T> {
    fn default() -> Self {
        Table {
            items: Vec::new(),
            _id: PhantomData,
        }
    }
}

impl<I: Id, T> Table<I, T> {
    /// Add an entry; its id.
    pub fn push(&mut self, item: T) -> I {
        self.items.push(item);
        I::new(self.items.len() - 1)
    }

    pub fn get(&self, id: I) -> Option<&T> {
        self.items.get(id.index())
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every entry with its id.
    pub fn iter_enumerated(&self) -> impl DoubleEndedIterator<Item = (I, &T)> + '_ {
        self.items
            .iter()
            .enumerate()
            .map(|(i, item)| (I::new(i), item))
    }

    /// Every id, in order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = I> + use<I, T> {
        (0..self.items.len()).map(I::new)
    }

    /// Every entry, in id order.
    pub fn values(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
}

impl<I: Id, T> FromIterator<T> for Table<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(iter: It) -> Self {
        Table {
            items: iter.into_iter().collect(),
            _id: PhantomData,
        }
    }
}

impl<'t, I: Id, T> IntoIterator for &'t Table<I, T> {
    type Item = &'t T;
    type IntoIter = std::slice::Iter<'t, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<I: Id, T> std::ops::Index<I> for Table<I, T> {
    type Output = T;

    fn index(&self, id: I) -> &T {
        &self.items[id.index()]
    }
}

impl<I: Id, T> std::ops::IndexMut<I> for Table<I, T> {
    fn index_mut(&mut self, id: I) -> &mut T {
        &mut self.items[id.index()]
    }
}
