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
