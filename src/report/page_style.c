/* The page's stylesheet and script: static text, no input reaches them.
 * Restrained reading-room design: light text sections, dark image panels,
 * colour only for grades and finding kinds; prints on paper (@media print). */
#include "report/page.h"

static const char css_base[] =
    ":root{--ink:#1d232b;--dim:#5b6673;--line:#dde2e8;--bg:#f3f5f7;--card:#fff;"
    "--dark:#0f1419;--dark2:#161c23}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"
    "'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}\n"
    "main{max-width:1248px;margin:0 auto;padding:16px}\n"
    "h2{font-size:15px;font-weight:600;margin:0 0 10px;letter-spacing:.02em}\n"
    "h3{font-size:14px;margin:0 0 6px}\n"
    "section{background:var(--card);border:1px solid var(--line);border-radius:6px;"
    "padding:14px 16px;margin:0 0 14px}\n"
    ".dim{color:var(--dim)}.note{color:var(--dim);font-style:italic}\n"
    ".banner{background:var(--card);border:1px solid var(--line);border-left:8px solid #8b949e;"
    "border-radius:6px;padding:12px 16px;margin:0 0 14px}\n"
    ".banner.pos{border-left-color:#c62828}.banner.neg{border-left-color:#2e7d32}\n"
    ".bhead{display:flex;justify-content:space-between;align-items:baseline;gap:16px;flex-wrap:wrap}\n"
    ".verdict{font-size:22px;font-weight:700;letter-spacing:.01em}\n"
    ".pos .verdict{color:#b71c1c}.neg .verdict{color:#1b5e20}\n"
    ".ruo{font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.06em;"
    "color:#8a3b12;border:1px solid #e5c4b3;border-radius:4px;padding:2px 8px}\n"
    ".bline{display:flex;flex-wrap:wrap;gap:8px 10px;align-items:center;margin-top:8px}\n"
    ".chip{display:inline-block;border-radius:12px;padding:2px 10px;font-size:13px;"
    "border:1px solid transparent}\n"
    ".chip b{text-transform:capitalize;font-weight:600}\n"
    ".g0{background:#e8f3ea;color:#245c2b;border-color:#c5e1ca}"
    ".g1{background:#fdf3cf;color:#6d5200;border-color:#f0dc94}"
    ".g2{background:#fde3cc;color:#823c00;border-color:#f5bf8f}"
    ".g3{background:#f9d3cf;color:#8c1a10;border-color:#ef9d95}"
    ".gna{background:#eceff2;color:#5b6673;border-color:#d6dbe1}\n"
    ".slec,.count{font-size:13px;color:var(--ink);padding:2px 6px}\n"
    ".warn{margin:8px 0 0;padding-left:18px;color:#8a3b12;font-size:13px}\n"
    ".reason{color:var(--ink);margin-bottom:2px}\n"
    ".k-leak0{--k:#9aa5b1}.k-leak1{--k:#f2c94c}.k-leak2{--k:#f2994a}.k-leak3{--k:#eb5757}"
    ".k-cyst{--k:#56ccf2}.k-slec{--k:#bb6bd9}.k-div{--k:#6fcf97}.k-other{--k:#c7ccd1}\n"
    ".sw{display:inline-block;width:10px;height:10px;border-radius:2px;background:var(--k);"
    "margin:0 5px 0 2px;vertical-align:baseline;border:1px solid rgba(0,0,0,.25)}\n"
    ;

static const char css_images[] =
    ".images{background:var(--dark);border-color:#000;color:#dfe6ee}\n"
    ".images h2{color:#dfe6ee}.images .note,.images .dim{color:#9aa7b4}\n"
    ".viewrow{display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap}\n"
    "figure{margin:0}figcaption{font-size:12px;color:#aab4bf;margin-top:4px}\n"
    ".frame{position:relative;background:#000}\n"
    ".frame img,.frame svg{position:absolute;left:0;top:0;width:100%;height:100%;display:block}\n"
    ".ovl{overflow:visible}.ovl *{vector-effect:non-scaling-stroke}\n"
    ".crop .frame,.crop .ovl{overflow:hidden}\n"
    ".cl{fill:none;stroke:#38bdf8;stroke-width:1.2;stroke-dasharray:5 4;opacity:.75}\n"
    ".tick{stroke:#9fb0c0;stroke-width:1;opacity:.8}\n"
    ".lvl{fill:#d6dee8;paint-order:stroke;stroke:#000;stroke-width:3px;font-weight:600}\n"
    ".fnd{fill:none;stroke:var(--k);stroke-width:2;pointer-events:all;cursor:pointer}\n"
    ".fnd.sel{stroke-width:3.5;stroke-dasharray:none}\n"
    ".ftag{fill:var(--k);paint-order:stroke;stroke:#000;stroke-width:3px;font-weight:700}\n"
    ".bar{stroke:#fff;stroke-width:2}\n"
    ".details{flex:1 1 260px;min-width:250px;max-width:560px;background:var(--dark2);"
    "border:1px solid #26303b;border-radius:6px;padding:12px;position:sticky;top:12px}\n"
    ".details .hint{color:#9aa7b4;font-size:12px;margin:0 0 8px}\n"
    ".detail h3{color:#fff}.meas{font-size:13px;color:#cdd6df;margin:0 0 8px}\n"
    ".crops{display:flex;flex-wrap:wrap;gap:10px}\n"
    ".gt{color:#ff8a80;font-weight:600}.lt{color:#cdd6df}\n"
    ;

static const char css_tables[] =
    "table{border-collapse:collapse;width:100%;font-size:13px}\n"
    "th{text-align:left;font-weight:600;color:var(--dim);font-size:12px;border-bottom:1px solid "
    "var(--line);padding:5px 8px;vertical-align:bottom}\n"
    "td{border-bottom:1px solid #edf0f3;padding:4px 8px;vertical-align:top}\n"
    ".n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.nw{white-space:nowrap}\n"
    "td.lvl{font-weight:600}.feat{font-size:12px;color:var(--dim);padding-top:0}.fv{white-space:nowrap}\n"
    "tr.finding-row,tr.feat-row,.lf,.link{cursor:pointer}\n"
    "tr.finding-row td{border-bottom:0}\n"
    ".lf:hover{background:#eef3f8}tr.sel,.lf.sel{background:#e1ebf7}\n"
    "section .gt{color:#b3261e}section .lt{color:var(--dim)}\n"
    ".lf{padding:1px 4px;border-radius:3px}\n"
    ".slectag{display:inline-block;font-size:11px;color:#6b3fa0;border:1px solid #d9c6ee;"
    "border-radius:8px;padding:0 6px;margin:1px 4px}\n"
    ".plot{width:100%;height:auto;display:block}\n"
    ".plot .grid{stroke:#e8ebef;stroke-width:1}.plot .ax{stroke:#8b949e;stroke-width:1}\n"
    ".plot .tl{font-size:11px;fill:#57606a}\n"
    ".s-tr{fill:none;stroke:#1f5fbf;stroke-width:2}"
    ".s-ap{fill:none;stroke:#7a4cc2;stroke-width:2;stroke-dasharray:6 4}\n"
    ".pm{fill:var(--k);stroke:#333;stroke-width:1;cursor:pointer}\n"
    ".lg{display:inline-block;width:22px;height:0;border-top:2px solid #1f5fbf;"
    "vertical-align:middle;margin:0 4px}.lg-ap{border-top:2px dashed #7a4cc2}\n"
    ".st td:first-child{width:44px}\n"
    ".cols{display:flex;gap:24px;flex-wrap:wrap}.cols>div{flex:1 1 300px}\n"
    ".kv th{width:42%;border:0;font-size:12px;padding:3px 8px 3px 0}"
    ".kv td{border:0;padding:3px 0;word-break:break-all}\n"
    ".ok{color:#2e7d32;font-weight:700}.bad{color:#c62828;font-weight:700}\n"
    "footer{color:var(--dim);font-size:12px;text-align:center;padding:4px 0 20px}\n"
    ;

static const char css_print[] =
    "@media print{@page{size:A4;margin:12mm}"
    "body{background:#fff;font-size:11px}main{max-width:none;padding:0}"
    "section,.banner{break-inside:avoid;border-color:#bbb}"
    ".images{-webkit-print-color-adjust:exact;print-color-adjust:exact;break-inside:auto}"
    ".banner,.chip,.sw,.pm{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".details{position:static;max-width:none;display:grid;grid-template-columns:1fr 1fr;gap:8px}"
    ".detail[hidden]{display:block}.crop .frame{width:140px!important;height:auto!important}"
    ".detail{break-inside:avoid;margin-bottom:8px}.details .hint{display:none}"
    "tr.sel,.lf.sel{background:none}}\n";

static const char js[] =
    "(function(){'use strict';\n"
    "function sel(n,scroll){var i,d=document.querySelectorAll('.detail');"
    "for(i=0;i<d.length;i++)d[i].hidden=d[i].getAttribute('data-d')!==n;"
    "var e=document.querySelectorAll('[data-f]');"
    "for(i=0;i<e.length;i++)e[i].classList.toggle('sel',e[i].getAttribute('data-f')===n);"
    "var t=document.getElementById('detail-'+n);"
    "if(t&&scroll)t.scrollIntoView({block:'nearest',behavior:'smooth'});}\n"
    "document.addEventListener('click',function(ev){var t=ev.target;"
    "t=t&&t.closest?t.closest('[data-f]'):null;"
    "if(t)sel(t.getAttribute('data-f'),!t.closest('.images'));});\n"
    "document.addEventListener('keydown',function(ev){var t=ev.target;"
    "if(ev.key==='Enter'&&t&&t.hasAttribute&&t.hasAttribute('data-f'))"
    "sel(t.getAttribute('data-f'),true);});\n"
    /* a marker the browser test reads through the DOM: what loaded and decoded */
    "window.addEventListener('load',function(){var im=document.images,ok=0,i;"
    "for(i=0;i<im.length;i++)if(im[i].complete&&im[i].naturalWidth>0)ok++;"
    "var m=document.createElement('div');m.id='csf-selftest';m.hidden=true;"
    "m.setAttribute('data-images',String(im.length));m.setAttribute('data-decoded',String(ok));"
    "m.setAttribute('data-rows',String(document.querySelectorAll('tr.finding-row').length));"
    "var v=document.getElementById('verdict');m.setAttribute('data-verdict',v?v.textContent:'');"
    "document.body.appendChild(m);});\n"
    "})();\n";

void csf_page_style(csf_buf *b)
{
    /* split: ISO C caps string literals at 4095 characters */
    csf_buf_puts(b, css_base);
    csf_buf_puts(b, css_images);
    csf_buf_puts(b, css_tables);
    csf_buf_puts(b, css_print);
}

void csf_page_script(csf_buf *b)
{
    csf_buf_puts(b, js);
}
