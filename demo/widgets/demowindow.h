// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QWidget>

namespace Demo {
class ChatStoreRoot;
}

class CounterRoot;
class MusubiConnection;
class MusubiInspectorWidget;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;

/*!
    \class DemoWindow
    \brief The widgets demo: a counter driven by CounterRoot and a chat on its stream model.

    Both roots are the typed ones musubi-codegen writes. The counter is a QLabel
    bound to CounterRoot::countChanged() plus buttons that call
    CounterRoot::increment() / reset(). The chat is a QListView whose model is
    Demo::ChatStore::messages() of a Demo::ChatStoreRoot, with a line edit that
    calls Demo::ChatStore::send(); Demo::ChatStore::messageSent() scrolls it.
*/
class DemoWindow : public QWidget
{
    Q_OBJECT

public:
    explicit DemoWindow(MusubiConnection *connection, QWidget *parent = nullptr);
    ~DemoWindow() override;

    CounterRoot *counter() const { return m_counter; }
    Demo::ChatStoreRoot *chat() const { return m_chat; }
    //! True once both roots are live and the chat list has its model.
    bool isReady() const;
    //! The Musubi Inspector window, once opened (F12 or the Inspector button).
    MusubiInspectorWidget *inspector() const;
    //! Shows or hides the Musubi Inspector window.
    void toggleInspector();

Q_SIGNALS:
    //! isReady() became true.
    void ready();

private:
    void updateStatus();
    void followChat();
    void attachChatModel();
    void sendMessage();

    MusubiConnection *m_connection;
    CounterRoot *m_counter;
    Demo::ChatStoreRoot *m_chat;
    QLabel *m_status;
    QLabel *m_count;
    QListView *m_messages;
    QLineEdit *m_input;
    QPushButton *m_send;
    bool m_ready = false;
};
