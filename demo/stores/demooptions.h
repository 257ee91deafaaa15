// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <musubiconnection.h>

#include <QtCore/QString>
#include <QtCore/QUrl>

#include <memory>

class QCoreApplication;
class MusubiTestServer;

/*!
    \class DemoOptions
    \brief The command line shared by the demo applications.

    \code
    musubi_demo [--url ws://host:4000/socket] [--protocol auto|shared|per-root]
                [--port N] [--no-server] [--cache-dir DIR] [--no-cache]
                [--screenshot FILE] [--quit-after MS] [--page NAME] [--report-startup]
                [--inspector] [--verbose]
    \endcode

    Without \c --url the demo serves its own stores: startEmbeddedServer()
    starts a MusubiTestServer on 127.0.0.1 with registerDemoStores() and
    points url at it. It listens on \c --port, by default on DefaultPort
    (or, when that port is taken, on any free port). \c --no-server starts
    no server and points url where the embedded one would listen, so the
    demo shows what it saved (the mount cache) until a server comes up there.
*/
class DemoOptions
{
public:
    DemoOptions();
    ~DemoOptions();

    /*! Parses the application's arguments. On \c --help / \c --version or a
        usage error it prints and exits the process (code 0 or 2). */
    void parse(const QCoreApplication &app, const QString &description);

    //! Starts the embedded server when no \c --url was given; false on failure.
    bool startEmbeddedServer();

    //! The port the embedded server prefers, and \c --no-server connects to.
    static constexpr int DefaultPort = 4000;

    //! The server's base URL (from \c --url, or the embedded server's).
    QUrl url;
    //! \c --port: the embedded server's port (0: DefaultPort, or any free port when taken).
    int port = 0;
    //! \c --no-server: start no embedded server (url is where it would listen).
    bool noServer = false;
    //! \c --no-cache: the mount cache is off (QML demo).
    bool cacheEnabled = true;
    //! \c --cache-dir: the disk cache's directory (QML demo; empty: the default one).
    QString cacheDirectory;
    //! \c --report-startup: print when the first frames showed saved and live data (QML demo).
    bool reportStartup = false;
    //! \c --inspector: open the Musubi Inspector at start (F12 toggles it).
    bool inspector = false;
    MusubiConnection::Protocol protocol = MusubiConnection::Protocol::Auto;
    //! \c --screenshot: grab the window to this PNG once the first page is live, then exit.
    QString screenshotPath;
    //! \c --page: the page to show first (demos with pages; empty = the first).
    QString page;
    //! \c --quit-after: exit after this many milliseconds (0 = never).
    int quitAfterMs = 0;
    //! The embedded server, or nullptr with \c --url.
    MusubiTestServer *server() const { return m_server.get(); }

    //! "auto", "shared" or "per-root" for \a protocol.
    static QString protocolName(MusubiConnection::Protocol protocol);
    //! The inverse of protocolName(); false for an unknown name.
    static bool protocolFromName(const QString &name, MusubiConnection::Protocol *protocol);

private:
    std::unique_ptr<MusubiTestServer> m_server;
};
