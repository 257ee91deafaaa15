// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

// What "nothing leaked" is measured with in the fault-injection suites
// (tst_faults, tst_uploadfaults): the objects, channels, pushes, pending
// commands, running transfers and armed timers a MusubiConnection and the
// mount of one root hold, compared with the values of an idle connection and
// of a connection that was never opened.

#include <musubirootmount_p.h>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QPointer>

class MusubiConnection;
class MusubiRoot;
class MusubiTestServer;

namespace MusubiTests {

//! One count of what a connection and the mount of its root hold.
struct Census
{
    int objects = 0; // QObjects owned by the connection and by the mount
    int channels = 0;
    int pushes = 0; // PhoenixPush objects alive (pending or not yet deleted)
    int commands = 0; // commands sent and not finished
    int timers = 0; // armed timers of the socket's scheduler
    int transfers = 0; // upload transfers the root's handles still run
    int mounts = 0;

    friend bool operator==(const Census &, const Census &) = default;
};

//! \a census as one line, for failure messages.
QByteArray describe(const Census &census);

/*!
    Counts what \a connection holds. Constructed on a connection that was
    never opened: that count is closed(), what verifyCleanShutdown() waits for.
*/
class ConnectionCensus
{
public:
    explicit ConnectionCensus(MusubiConnection *connection);

    //! The root whose mount is counted too (forgotten once it is deleted).
    void setRoot(MusubiRoot *root) { m_root = root; }

    //! Counts now, and remembers the mount it met so that its deletion can be checked.
    Census take();
    //! The count of the connection before it was first opened.
    const Census &closed() const { return m_closed; }
    //! Waits for the count to equal \a idle; deleteLater() needs the event loop.
    bool settlesTo(const Census &idle);

    /*!
        Closes the connection (the root must already be deleted): the count
        goes back to closed(), every mount met is deleted, and \a server has
        no root and no connection left.
    */
    void verifyCleanShutdown(const MusubiTestServer *server);

private:
    MusubiConnection *m_connection;
    QPointer<MusubiRoot> m_root;
    QList<QPointer<Musubi::detail::RootMount>> m_seenMounts;
    Census m_closed;
    bool m_closedHadTransport = false;
};

} // namespace MusubiTests
