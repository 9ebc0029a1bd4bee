export default function Home() {
  return (
    <main>
      <h1>next-auth benchmark peer</h1>
      <p>
        <a href="/dashboard">Dashboard</a> · <a href="/api/auth/signin">Sign in</a>
      </p>
    </main>
  );
}
