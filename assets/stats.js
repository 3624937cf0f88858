// Draws the statistics chart from the data attributes the server wrote
// (no inline script: the Content-Security-Policy forbids it).
(function () {
  'use strict';
  function draw() {
    var el = document.getElementById('order-chart');
    if (!el || !window.echarts) return;
    var labels = (el.getAttribute('data-labels') || '').split(',');
    var values = (el.getAttribute('data-values') || '').split(',').map(Number);
    var chart = window.echarts.init(el, null, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      grid: { left: 40, right: 12, top: 16, bottom: 60 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: 40 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: values, itemStyle: { color: '#c8161d' }, label: { show: true, position: 'top' } }],
    });
    window.addEventListener('resize', function () { chart.resize(); });
    el.setAttribute('data-drawn', '1');
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw); else draw();
})();

// The dashboard's and the big screen's charts (dashboard_web.c): labels,
// values and the drill-down link of each bar in data attributes, separated
// by '|'; a click on a bar or a point opens the records behind it.
(function () {
  'use strict';
  function draw(el) {
    if (!el || !window.echarts) return;
    var labels = (el.getAttribute('data-labels') || '').split('|');
    var values = (el.getAttribute('data-values') || '').split('|').map(Number);
    var hrefs = (el.getAttribute('data-hrefs') || '').split('|');
    var big = document.body.classList.contains('screen');
    var trend = /trend/.test(el.id);
    // months as 1月 … 12月 when there are many of them
    if (trend && labels.length > 6) labels = labels.map(function (l) { return parseInt(l.slice(5), 10) + '月'; });
    var chart = window.echarts.init(el, null, { renderer: 'svg' });
    var font = big ? 20 : 12;
    chart.setOption({
      animation: false,
      grid: { left: big ? 60 : 40, right: 16, top: 24, bottom: trend ? 40 : (big ? 150 : 90) },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: trend ? 0 : 40, fontSize: font, color: big ? '#fbe9c6' : '#555' } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: font, color: big ? '#fbe9c6' : '#555' } },
      series: [trend
        ? { type: 'line', data: values, symbolSize: big ? 12 : 8, itemStyle: { color: big ? '#ffd666' : '#c8161d' }, label: { show: true, position: 'top', fontSize: font, color: big ? '#fff' : '#333' } }
        : { type: 'bar', data: values, itemStyle: { color: big ? '#ffd666' : '#c8161d' }, label: { show: true, position: 'top', fontSize: font, color: big ? '#fff' : '#333' } }],
    });
    chart.on('click', function (p) {
      var h = hrefs[p.dataIndex];
      if (h && !big) window.location.href = h;
    });
    window.addEventListener('resize', function () { chart.resize(); });
    el.setAttribute('data-drawn', '1');
  }
  function all() {
    var els = document.querySelectorAll('.dash-chart');
    for (var i = 0; i < els.length; i++) draw(els[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all); else all();
})();
