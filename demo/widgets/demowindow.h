// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QWidget>

class CounterRoot;
class MusubiConnection;
class MusubiRoot;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;

/*!
    \class DemoWindow
    \brief The widgets demo: a counter driven by CounterRoot and a chat on its stream model.

    The counter is a QLabel bound to CounterRoot::countChanged() plus buttons
    that call CounterRoot::increment() / reset(). The chat is a QListView whose
    model is the \c messages MusubiStreamModel of a \c Demo.ChatStore root,
    with a line edit that sends the \c send command.
*/
class DemoWindow : public QWidget
{
    Q_OBJECT

public:
    explicit DemoWindow(MusubiConnection *connection, QWidget *parent = nullptr);
    ~DemoWindow() override;

    CounterRoot *counter() const { return m_counter; }
    MusubiRoot *chat() const { return m_chat; }
    //! True once both roots are live and the chat list has its model.
    bool isReady() const;

Q_SIGNALS:
    //! isReady() became true.
    void ready();

private:
    void updateStatus();
    void attachChatModel();
    void sendMessage();

    MusubiConnection *m_connection;
    CounterRoot *m_counter;
    MusubiRoot *m_chat;
    QLabel *m_status;
    QLabel *m_count;
    QListView *m_messages;
    QLineEdit *m_input;
    QPushButton *m_send;
    bool m_ready = false;
};
