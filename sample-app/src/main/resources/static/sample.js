// Shared by the sample pages: switch the challenge type, submit the form as JSON, show the answer.
window.sample = {
  typeSwitcher: function (select, widget) {
    select.addEventListener('change', function () {
      widget.setAttribute('data-type', select.value);
      CaptchaSecurity.reset(widget);
    });
  },
  submit: function (form, widget, send) {
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      var result = document.getElementById('result');
      var token = form.querySelector('input[name="captcha-token"]').value;
      var response = await send(token);
      var body = await response.json().catch(function () { return {}; });
      if (response.ok) {
        result.className = 'ok';
        result.textContent = 'Success: ' + JSON.stringify(body);
      } else {
        result.className = 'rejected';
        result.textContent = 'Rejected (' + response.status + '): ' + (body.code || '') + ' ' + (body.detail || '');
      }
      CaptchaSecurity.reset(widget);
    });
  }
};
