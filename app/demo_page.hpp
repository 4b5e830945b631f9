// The page sockjs-server serves at `/`: open a SockJS connection to a test
// service over a chosen transport, send messages, see the answers; and
// three channels multiplexed on one connection to /multiplex.
#pragma once

#include <string_view>

namespace sockjs::app {

inline constexpr std::string_view demo_page = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sockjs-server</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 46em; color: #222; }
  h1 { font-size: 1.4em; }
  fieldset { border: 1px solid #ccc; border-radius: 6px; margin-bottom: 1em; }
  #log { border: 1px solid #ccc; border-radius: 6px; height: 18em; overflow-y: auto;
         padding: .5em; font: 13px/1.4 ui-monospace, monospace; background: #fafafa; }
  #log .in { color: #05a; } #log .out { color: #080; } #log .sys { color: #888; }
  input[type=text] { width: 24em; }
  #status { font-weight: bold; }
  .channels { display: flex; gap: 1em; }
  .channel { flex: 1; border: 1px solid #ccc; border-radius: 6px; padding: .5em; }
  .channel .lines { height: 8em; overflow-y: auto; font: 13px/1.4 ui-monospace, monospace; }
  .channel input { width: 9em; }
</style>
</head>
<body>
<h1>sockjs-server</h1>
<p>A SockJS 0.3 server in C++ (CAF actors, Boost.Beast). Pick a transport,
connect to <code>/echo</code>, and send messages: the server echoes them.</p>
<fieldset>
  <label>Service
    <select id="service">
      <option>/echo</option><option>/broadcast</option><option>/amplify</option>
      <option>/ticker</option><option>/close</option><option>/multiplex</option>
      <option>/cookie_needed_echo</option><option>/disabled_websocket_echo</option>
    </select></label>
  <label>Transport
    <select id="transport">
      <option value="">any</option>
      <option>websocket</option><option>xhr-streaming</option>
      <option>xhr-polling</option><option>eventsource</option>
      <option>iframe-eventsource</option><option>iframe-htmlfile</option>
      <option>iframe-xhr-polling</option><option>jsonp-polling</option>
    </select></label>
  <button id="connect">Connect</button>
  <button id="disconnect" disabled>Disconnect</button>
  <span id="status">closed</span>
</fieldset>
<form id="form">
  <input id="message" type="text" placeholder="Type a message" autocomplete="off" disabled>
  <button id="send" disabled>Send</button>
</form>
<div id="log"></div>
<h2>Channels on one connection</h2>
<p><code>/multiplex</code> carries named channels over one SockJS connection,
as the <code>websocket-multiplex</code> client speaks them: Ann nods, Bob
disagrees, Carl says goodbye and closes his channel.
<button id="mx-connect">Connect</button> <span id="mx-status">closed</span></p>
<div class="channels">
  <div class="channel" id="ch-ann"><b>ann</b><div class="lines"></div>
    <form><input type="text" disabled><button disabled>Send</button></form></div>
  <div class="channel" id="ch-bob"><b>bob</b><div class="lines"></div>
    <form><input type="text" disabled><button disabled>Send</button></form></div>
  <div class="channel" id="ch-carl"><b>carl</b><div class="lines"></div>
    <form><input type="text" disabled><button disabled>Send</button></form></div>
</div>
<script src="/lib/sockjs.min.js"></script>
<script src="/lib/websocket-multiplex.js"></script>
<script>
  var sock = null;
  var $ = function (id) { return document.getElementById(id); };
  function log(kind, text) {
    var line = document.createElement('div');
    line.className = kind;
    line.textContent = text;
    $('log').appendChild(line);
    $('log').scrollTop = $('log').scrollHeight;
  }
  function setOpen(open) {
    $('connect').disabled = open;
    $('disconnect').disabled = !open;
    $('message').disabled = !open;
    $('send').disabled = !open;
  }
  if (typeof SockJS === 'undefined') {
    log('sys', 'sockjs-client is missing under /lib/: run scripts/fetch-client.sh');
    $('connect').disabled = true;
  }
  $('connect').onclick = function () {
    var transport = $('transport').value;
    var options = transport ? { transports: [transport] } : {};
    sock = new SockJS($('service').value, null, options);
    $('status').textContent = 'connecting';
    sock.onopen = function () {
      $('status').textContent = 'open (' + sock.transport + ')';
      log('sys', 'open via ' + sock.transport);
      setOpen(true);
      $('message').focus();
    };
    sock.onmessage = function (e) { log('in', '< ' + e.data); };
    sock.onclose = function (e) {
      $('status').textContent = 'closed';
      log('sys', 'closed: ' + e.code + ' ' + e.reason);
      setOpen(false);
      sock = null;
    };
  };
  $('disconnect').onclick = function () { if (sock) sock.close(); };
  $('mx-connect').onclick = function () {
    if (typeof WebSocketMultiplex === 'undefined') {
      $('mx-status').textContent = 'websocket-multiplex is missing under /lib/';
      return;
    }
    $('mx-connect').disabled = true;
    var mx_sock = new SockJS('/multiplex');
    var multiplexer = new WebSocketMultiplex(mx_sock);
    mx_sock.onopen = function () { $('mx-status').textContent = 'open (' + mx_sock.transport + ')'; };
    mx_sock.onclose = function () { $('mx-status').textContent = 'closed'; $('mx-connect').disabled = false; };
    ['ann', 'bob', 'carl'].forEach(function (name) {
      var box = $('ch-' + name), lines = box.querySelector('.lines');
      var input = box.querySelector('input'), button = box.querySelector('button');
      var show = function (kind, text) {
        var line = document.createElement('div');
        line.className = kind;
        line.textContent = text;
        lines.appendChild(line);
      };
      var channel = multiplexer.channel(name);
      channel.onopen = function () { input.disabled = button.disabled = false; };
      channel.onmessage = function (e) { show('in', '< ' + e.data); };
      channel.onclose = function () { input.disabled = button.disabled = true; show('sys', 'channel closed'); };
      box.querySelector('form').onsubmit = function (e) {
        e.preventDefault();
        if (!input.value) return;
        channel.send(input.value);
        show('out', '> ' + input.value);
        input.value = '';
      };
    });
  };
  $('form').onsubmit = function (e) {
    e.preventDefault();
    var text = $('message').value;
    if (!sock || !text) return;
    sock.send(text);
    log('out', '> ' + text);
    $('message').value = '';
  };
</script>
</body>
</html>
)html";

} // namespace sockjs::app
