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
                [--screenshot FILE] [--quit-after MS] [--page NAME] [--verbose]
    \endcode

    Without \c --url the demo serves its own stores: startEmbeddedServer()
    starts a MusubiTestServer on 127.0.0.1 with registerDemoStores() and
    points url at it.
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

    //! The server's base URL (from \c --url, or the embedded server's).
    QUrl url;
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
