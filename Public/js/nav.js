// The top bar at phone width: the sections, the person's name, the theme and sign-out fold into a menu behind one
// button (a disclosure: `aria-expanded` on the button, Escape closes and returns focus, choosing a link or clicking
// elsewhere closes). Wider screens show everything and never see the button. Without this script the menu stays open.
const bar = document.querySelector(".topbar");
const toggle = document.getElementById("nav-toggle");
const menu = document.getElementById("site-menu");

if (bar && toggle && menu) {
  const isOpen = () => bar.dataset.menu === "open";
  const setOpen = (open) => {
    bar.dataset.menu = open ? "open" : "closed";
    toggle.setAttribute("aria-expanded", String(open));
  };
  setOpen(false);
  toggle.addEventListener("click", () => setOpen(!isOpen()));
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !isOpen() || toggle.offsetParent === null) return;
    setOpen(false);
    toggle.focus();
  });
  document.addEventListener("click", (event) => {
    if (isOpen() && !bar.contains(event.target)) setOpen(false);
  });
  menu.addEventListener("click", (event) => {
    if (event.target.closest("a")) setOpen(false);
  });
}
