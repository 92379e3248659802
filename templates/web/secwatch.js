// Optional: the pages work without it. It only asks before marking an item "not applicable"
// without a note, since a reader later will want to know why.
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (!form || !form.classList || !form.classList.contains('ack')) return;
  var choice = form.querySelector('input[name="status"]:checked');
  var note = form.querySelector('input[name="note"]');
  if (choice && choice.value === 'not-applicable' && note && note.value.trim() === '') {
    if (!window.confirm('Mark as not applicable without a note?')) event.preventDefault();
  }
});
