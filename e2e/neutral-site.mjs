// A stand-in for the neutral, everyday site the quick exit leads to: the
// machine running the tests has no internet, so it is served locally.
// Prints its address on the first line of output, then serves until killed.

import { createServer } from 'node:http';

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Weather today</title></head>
<body><h1>Weather today</h1><p>Light cloud, a gentle breeze, 17°C.</p></body></html>`;

const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : page);
});
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`http://127.0.0.1:${port}/weather`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
