package core

import "slices"

// Parent returns the object's parent, or nil.
func (o *Object) Parent() *Object {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.parent
}

// Children returns a copy of the object's children, in the order they were
// added.
func (o *Object) Children() []*Object {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.children)
}

// SetParent makes p the object's parent (nil: none), moving it from its old
// parent's children to the end of p's. A parent destroys its children. It
// fails with ErrDestroyed if either object is destroyed, ErrParentCycle if p
// is the object or one of its descendants, and ErrParentLoop if p lives on
// another loop (Qt refuses a parent in another thread too).
func (o *Object) SetParent(p *Object) error {
	if o.IsDestroyed() || (p != nil && p.IsDestroyed()) {
		return ErrDestroyed
	}
	if p != nil {
		if p.Loop() != o.Loop() {
			return ErrParentLoop
		}
		if p.hasAncestor(o) {
			return ErrParentCycle
		}
	}
	o.mu.Lock()
	old := o.parent
	o.parent = p
	o.mu.Unlock()
	if old == p {
		return nil
	}
	if old != nil {
		old.removeChild(o)
	}
	if p != nil {
		p.mu.Lock()
		p.children = append(p.children, o)
		p.mu.Unlock()
	}
	return nil
}

// hasAncestor reports whether a is o or one of o's ancestors.
func (o *Object) hasAncestor(a *Object) bool {
	for x := o; x != nil; x = x.Parent() {
		if x == a {
			return true
		}
	}
	return false
}

func (o *Object) removeChild(c *Object) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if i := slices.Index(o.children, c); i >= 0 {
		o.children = slices.Delete(o.children, i, i+1)
	}
}

// destroyChildren destroys the children in order; they are taken from the
// object first, so their leaveParent finds nothing to do.
func (o *Object) destroyChildren() {
	o.mu.Lock()
	kids := o.children
	o.children = nil
	o.mu.Unlock()
	for _, c := range kids {
		c.mu.Lock()
		c.parent = nil
		c.mu.Unlock()
		c.Destroy()
	}
}

// leaveParent removes the object from its parent's children.
func (o *Object) leaveParent() {
	o.mu.Lock()
	p := o.parent
	o.parent = nil
	o.mu.Unlock()
	if p != nil {
		p.removeChild(o)
	}
}

// FindChild returns the first descendant named name, or nil; an empty name
// matches any object. As Qt's findChild, it looks at all the children of an
// object before descending into them, in order.
func (o *Object) FindChild(name string) *Object {
	kids := o.Children()
	for _, c := range kids {
		if name == "" || c.ObjectName() == name {
			return c
		}
	}
	for _, c := range kids {
		if found := c.FindChild(name); found != nil {
			return found
		}
	}
	return nil
}

// FindChildren returns every descendant named name (all of them for an
// empty name), each object followed by its own matching descendants.
func (o *Object) FindChildren(name string) []*Object {
	var out []*Object
	for _, c := range o.Children() {
		if name == "" || c.ObjectName() == name {
			out = append(out, c)
		}
		out = append(out, c.FindChildren(name)...)
	}
	return out
}
